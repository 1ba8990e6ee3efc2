import { useMutation } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';

import type { MlModelStatus } from '../../../gql/graphql';
import { RelativeTime } from '../../../ui/RelativeTime';
import { apiError } from '../components/apiErrors';
import { Badge } from '../components/Badge';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { buttonPrimary, buttonSecondary, linkClass } from '../components/styles';
import { abTestIdOf, rememberAbTestId } from '../lifecycle/abTestStore';
import { MODEL_STATUS_LABEL, MODEL_STATUS_TONE, modelName } from './modelLabels';
import { DEPLOY_MODEL, ROLLBACK_MODEL } from './modelOperations';

// The model (its status), and whatever else of the deployment is on screen.
const REFETCH = 'active' as const;

interface DeployableModel {
  id: string;
  type: string;
  version: number;
  status: MlModelStatus;
  deployedAt?: string | null;
}

function ErrorDetails({ error }: { error: unknown }) {
  const info = apiError(error);
  const abTestId = abTestIdOf(info.extensions);
  return (
    <>
      <p>
        {info.code === 'CONFLICT' ? 'Refused: ' : ''}
        {info.message}
      </p>
      {abTestId && (
        <p className="mt-1">
          <Link to="/admin/lifecycle" className={linkClass}>
            Open the A/B test on the lifecycle page
          </Link>{' '}
          to stop it first.
        </p>
      )}
    </>
  );
}

/** Whether this model scores the leads now, and deploying it or rolling back, each confirmed. */
export function DeployPanel({ model }: { model: DeployableModel }) {
  const [asking, setAsking] = useState<'deploy' | 'rollback' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [deploy, deployed] = useMutation(DEPLOY_MODEL, { refetchQueries: REFETCH });
  const [rollback, rolledBack] = useMutation(ROLLBACK_MODEL, { refetchQueries: REFETCH });
  const noticeRef = useRef<HTMLParagraphElement>(null);
  const name = modelName(model);
  // The button that opened the dialog may be gone (a deployed model has no Deploy): focus the news.
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);
  const isLive = model.status === 'DEPLOYED';
  const canDeploy = model.status === 'READY' || model.status === 'RETIRED';

  const remember = (error: unknown) => {
    const id = abTestIdOf(apiError(error).extensions);
    if (id) rememberAbTestId(id);
  };

  const confirmDeploy = async () => {
    setNotice(null);
    try {
      const result = await deploy({ variables: { id: model.id } });
      const job = result.data?.deployModel.rescoreJobId;
      setNotice(
        `${name} now scores every lead.${job ? ` Rescoring job ${job} is updating the open leads.` : ''}`,
      );
      setAsking(null);
    } catch (error) {
      remember(error);
    }
  };

  const confirmRollback = async () => {
    setNotice(null);
    try {
      const result = await rollback();
      const now = result.data?.rollbackModel.deployed;
      setNotice(`Rolled back: ${now ? modelName(now) : 'the previous model'} scores leads again.`);
      setAsking(null);
    } catch (error) {
      remember(error);
    }
  };

  return (
    <div className="space-y-3">
      <p className="flex flex-wrap items-center gap-2 text-sm text-slate-800">
        <span className="font-medium">Status:</span>{' '}
        <Badge tone={MODEL_STATUS_TONE[model.status]}>{MODEL_STATUS_LABEL[model.status]}</Badge>{' '}
        {isLive ? (
          <span>
            scoring every lead since <RelativeTime at={model.deployedAt} />
          </span>
        ) : canDeploy ? (
          <span>not scoring leads</span>
        ) : (
          <span>cannot be put into service in this status</span>
        )}
      </p>
      <div className="flex flex-wrap gap-2">
        {canDeploy && (
          <button
            type="button"
            className={buttonPrimary}
            onClick={() => {
              deployed.reset();
              setAsking('deploy');
            }}
          >
            Deploy
          </button>
        )}
        {isLive && (
          <button
            type="button"
            className={buttonSecondary}
            onClick={() => {
              rolledBack.reset();
              setAsking('rollback');
            }}
          >
            Roll back
          </button>
        )}
      </div>
      {notice && (
        <p
          ref={noticeRef}
          tabIndex={-1}
          role="status"
          className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900 focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          {notice}
        </p>
      )}
      {asking === 'deploy' && (
        <ConfirmDialog
          title={`Deploy ${name}?`}
          confirmLabel="Confirm deploy"
          busy={deployed.loading}
          error={deployed.error ? <ErrorDetails error={deployed.error} /> : undefined}
          onCancel={() => setAsking(null)}
          onConfirm={() => void confirmDeploy()}
        >
          <p>
            {name} will score every lead from now on, and the open leads are rescored in a batch
            job. Rolling back returns to the model scoring now.
          </p>
        </ConfirmDialog>
      )}
      {asking === 'rollback' && (
        <ConfirmDialog
          title={`Roll back ${name}?`}
          confirmLabel="Confirm roll back"
          danger
          busy={rolledBack.loading}
          error={rolledBack.error ? <ErrorDetails error={rolledBack.error} /> : undefined}
          onCancel={() => setAsking(null)}
          onConfirm={() => void confirmRollback()}
        >
          <p>
            The model that scored leads before {name} takes over again, and the leads are rescored.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
