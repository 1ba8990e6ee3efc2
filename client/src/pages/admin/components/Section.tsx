import { useId, type ReactNode } from 'react';

import { cardClass } from './styles';

/** A card with an h2 that names it (the section's accessible name). */
export function Section({
  title,
  actions,
  children,
  level = 2,
}: {
  title: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  level?: 2 | 3;
}) {
  const id = useId();
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section aria-labelledby={id} className={cardClass}>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <Heading id={id} className="text-lg font-semibold text-slate-900">
          {title}
        </Heading>
        {actions && <div className="flex flex-wrap gap-2">{actions}</div>}
      </div>
      {children}
    </section>
  );
}
