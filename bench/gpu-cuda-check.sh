#!/usr/bin/env bash
# One prepared check for a machine with an NVIDIA GPU (the issue's "GPU" section): is a CUDA
# execution-provider library matching onnxruntime-node's version present, does onnxruntime-node
# load it, and how fast does the bench MLP train on CUDA vs the CPU in the same run?
# Run from the repository root after `npm ci && npm run build`:  bash bench/gpu-cuda-check.sh
set -uo pipefail
ort_version=$(node -p "require('onnxruntime-node/package.json').version")
bin_dir=$(ls -d node_modules/onnxruntime-node/bin/napi-v*/linux/x64 | head -1)
echo "onnxruntime-node ${ort_version}; its binaries: ${bin_dir}"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || echo "nvidia-smi: not found"

# The provider library may already sit beside the binding (ONNXRUNTIME_NODE_INSTALL=cuda12), or come
# with a Python onnxruntime-gpu wheel of the same version.
found=$(ls "${bin_dir}"/libonnxruntime_providers_cuda.so 2>/dev/null || true)
if [ -z "$found" ]; then
  for candidate in $(python3 - <<'PY' 2>/dev/null
import glob, site, sys
paths = site.getsitepackages() + [site.getusersitepackages()]
for p in paths:
    for f in glob.glob(p + '/onnxruntime/capi/libonnxruntime_providers_cuda.so'):
        print(f)
PY
  ); do
    py_version=$(python3 -c "import onnxruntime; print(onnxruntime.__version__)" 2>/dev/null)
    echo "found ${candidate} (python onnxruntime ${py_version})"
    if [ "${py_version}" = "${ort_version}" ]; then
      ln -sf "${candidate}" "${bin_dir}/libonnxruntime_providers_cuda.so"
      ln -sf "$(dirname "${candidate}")/libonnxruntime_providers_shared.so" "${bin_dir}/libonnxruntime_providers_shared.so"
      found="${candidate}"
    else
      echo "version mismatch: python ${py_version} vs node ${ort_version}; not used"
    fi
  done
fi
echo "CUDA provider library: ${found:-none}"

echo "== probe"
home=$(mktemp -d)
node dist/cli/trainyard.js probe --home "$home" --json

echo "== bench MLP on CUDA, then on the CPU (same run)"
node scripts/bench.mjs train-throughput >/dev/null 2>&1 || true
BENCH_PROVIDERS=cuda,cpu node .tmp/bench/train-throughput.js
BENCH_PROVIDERS=cpu node .tmp/bench/train-throughput.js
