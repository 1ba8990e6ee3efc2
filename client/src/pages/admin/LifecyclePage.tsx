import { useQuery } from '@apollo/client/react';

import { AbTestPanel } from './lifecycle/AbTestPanel';
import { Decisions } from './lifecycle/Decisions';
import { DriftPanel } from './lifecycle/DriftPanel';
import { LifecycleSettings } from './lifecycle/LifecycleSettings';
import { USABLE_MODELS } from './lifecycle/operations';
import { ShadowPanel } from './lifecycle/ShadowPanel';
import { namer } from './lifecycle/usableModels';

/** Retraining settings and decisions, A/B test, shadow model and drift. */
export default function LifecyclePage() {
  const models = useQuery(USABLE_MODELS);
  const items = models.data?.mlModels.items ?? [];
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold text-slate-900">Model lifecycle</h1>
      <LifecycleSettings />
      <Decisions nameOf={namer(items)} />
      <AbTestPanel models={items} />
      <ShadowPanel models={items} />
      <DriftPanel />
    </div>
  );
}
