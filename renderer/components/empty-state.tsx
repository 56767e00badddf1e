import type { ReactElement, ReactNode } from 'react';
import './empty-state.css';

/** What an empty place shows: what is missing, and the next step to fill it. */
export function EmptyState({ title, children, testId }: { title: string; children?: ReactNode; testId?: string }): ReactElement {
  return (
    <div className="empty-state" data-testid={testId ?? 'empty-state'}>
      <div className="empty-state-title">{title}</div>
      {children ? <div className="empty-state-body">{children}</div> : null}
    </div>
  );
}
