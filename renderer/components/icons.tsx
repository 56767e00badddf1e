import type { ReactElement, SVGProps } from 'react';

/** A handful of 16-px stroke icons, inline so there is no icon font or library to load. */
type IconProps = SVGProps<SVGSVGElement> & { size?: number };

const Icon = ({ size = 16, children, ...props }: IconProps & { children: ReactElement | ReactElement[] }): ReactElement => (
  <svg width={size} height={size} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth={1.5} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" {...props}>
    {children}
  </svg>
);

export const RunsIcon = (props: IconProps): ReactElement => (
  <Icon {...props}>
    <path d="M2 13.5h12" />
    <path d="M3 11l3-4 3 2 4-6" />
  </Icon>
);
export const SearchIcon = (props: IconProps): ReactElement => (
  <Icon {...props}>
    <circle cx="7" cy="7" r="4.5" />
    <path d="M10.5 10.5L14 14" />
  </Icon>
);
export const ChevronIcon = (props: IconProps): ReactElement => (
  <Icon {...props}>
    <path d="M6 4l4 4-4 4" />
  </Icon>
);
export const CopyIcon = (props: IconProps): ReactElement => (
  <Icon {...props}>
    <rect x="5.5" y="5.5" width="8" height="8" rx="1.5" />
    <path d="M10.5 5.5V3.5a1 1 0 00-1-1h-6a1 1 0 00-1 1v6a1 1 0 001 1h2" />
  </Icon>
);
export const CheckIcon = (props: IconProps): ReactElement => (
  <Icon {...props}>
    <path d="M3 8.5l3 3 7-7" />
  </Icon>
);
export const SunIcon = (props: IconProps): ReactElement => (
  <Icon {...props}>
    <circle cx="8" cy="8" r="3" />
    <path d="M8 1.5v1.5M8 13v1.5M1.5 8H3M13 8h1.5M3.4 3.4l1 1M11.6 11.6l1 1M3.4 12.6l1-1M11.6 4.4l1-1" />
  </Icon>
);
export const MoonIcon = (props: IconProps): ReactElement => (
  <Icon {...props}>
    <path d="M13.5 9.5A5.5 5.5 0 016.5 2.5a5.5 5.5 0 107 7z" />
  </Icon>
);
export const FolderIcon = (props: IconProps): ReactElement => (
  <Icon {...props}>
    <path d="M2 4.5a1 1 0 011-1h3l1.5 1.5H13a1 1 0 011 1v6a1 1 0 01-1 1H3a1 1 0 01-1-1z" />
  </Icon>
);
export const FileIcon = (props: IconProps): ReactElement => (
  <Icon {...props}>
    <path d="M4 1.5h5l3 3v9a1 1 0 01-1 1H4a1 1 0 01-1-1v-11a1 1 0 011-1z" />
    <path d="M9 1.5v3h3" />
  </Icon>
);
export const PlusIcon = (props: IconProps): ReactElement => (
  <Icon {...props}>
    <path d="M8 3v10M3 8h10" />
  </Icon>
);
export const CloseIcon = (props: IconProps): ReactElement => (
  <Icon {...props}>
    <path d="M4 4l8 8M12 4l-8 8" />
  </Icon>
);
export const ColumnsIcon = (props: IconProps): ReactElement => (
  <Icon {...props}>
    <rect x="2" y="2.5" width="12" height="11" rx="1.5" />
    <path d="M6 2.5v11M10 2.5v11" />
  </Icon>
);
export const BackIcon = (props: IconProps): ReactElement => (
  <Icon {...props}>
    <path d="M10 4L6 8l4 4" />
  </Icon>
);
export const ExperimentIcon = (props: IconProps): ReactElement => (
  <Icon {...props}>
    <path d="M6 1.5v4L2.5 12.5a1 1 0 00.9 1.5h9.2a1 1 0 00.9-1.5L10 5.5v-4" />
    <path d="M5 1.5h6" />
  </Icon>
);
export const DatasetIcon = (props: IconProps): ReactElement => (
  <Icon {...props}>
    <ellipse cx="8" cy="3.75" rx="5.5" ry="2" />
    <path d="M2.5 3.75v8.5c0 1.1 2.46 2 5.5 2s5.5-.9 5.5-2v-8.5" />
    <path d="M2.5 8c0 1.1 2.46 2 5.5 2s5.5-.9 5.5-2" />
  </Icon>
);
export const UploadIcon = (props: IconProps): ReactElement => (
  <Icon {...props}>
    <path d="M8 10.5V2.5M4.5 6L8 2.5 11.5 6" />
    <path d="M2.5 10.5v2a1 1 0 001 1h9a1 1 0 001-1v-2" />
  </Icon>
);
export const LineageIcon = (props: IconProps): ReactElement => (
  <Icon {...props}>
    <rect x="1.5" y="6" width="4" height="4" rx="1" />
    <rect x="10.5" y="2" width="4" height="4" rx="1" />
    <rect x="10.5" y="10" width="4" height="4" rx="1" />
    <path d="M5.5 8h2.5M8 4h2.5M8 12h2.5M8 4v8" />
  </Icon>
);
export const WandIcon = (props: IconProps): ReactElement => (
  <Icon {...props}>
    <path d="M2.5 13.5l8-8M9 4l1.5 1.5" />
    <path d="M12 1.5v2M11 2.5h2M13.5 6v1.5M12.75 6.75h1.5M7 1.5v1.5M6.25 2.25h1.5" />
  </Icon>
);
export const ModelIcon = (props: IconProps): ReactElement => (
  <Icon {...props}>
    <path d="M8 1.5l5.5 3v7L8 14.5l-5.5-3v-7z" />
    <path d="M2.5 4.5L8 7.5l5.5-3M8 7.5v7" />
  </Icon>
);
export const TrashIcon = (props: IconProps): ReactElement => (
  <Icon {...props}>
    <path d="M2.5 4h11M6 4V2.5h4V4M4 4l.7 9.1a1 1 0 001 .9h4.6a1 1 0 001-.9L12 4" />
  </Icon>
);
export const PipelineIcon = (props: IconProps): ReactElement => (
  <Icon {...props}>
    <circle cx="3.5" cy="8" r="2" />
    <circle cx="12.5" cy="3.5" r="2" />
    <circle cx="12.5" cy="12.5" r="2" />
    <path d="M5.3 7.1l5.4-2.7M5.3 8.9l5.4 2.7" />
  </Icon>
);
export const PlayIcon = (props: IconProps): ReactElement => (
  <Icon {...props}>
    <path d="M4.5 2.5v11l9-5.5z" />
  </Icon>
);
/** Two arrows chasing each other: push and pull with the team bucket. */
export const SyncIcon = (props: IconProps): ReactElement => (
  <Icon {...props}>
    <path d="M13.2 6.5A5.5 5.5 0 003.4 4.6M2.8 9.5a5.5 5.5 0 009.8 1.9" />
    <path d="M3.2 2v2.8H6M12.8 14v-2.8H10" />
  </Icon>
);
