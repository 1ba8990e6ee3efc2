import { useQuery } from '@apollo/client/react';

import { RelativeTime } from '../../ui/RelativeTime';
import { CONFIG_AUTHOR } from './operations';

/** "Version 3, saved by Mia Manager (mia@…) 2 hours ago", or the deployment default. */
export function SavedBy({
  version,
  createdAt,
  createdBy,
}: {
  version: number;
  createdAt: string | null | undefined;
  createdBy: string | null | undefined;
}) {
  const { data } = useQuery(CONFIG_AUTHOR, {
    variables: { userId: createdBy ?? '' },
    skip: !createdBy,
  });
  const author = data?.user;
  return (
    <p className="text-sm text-slate-700">
      <span className="font-semibold text-slate-900">Version {version}</span>
      {createdBy ? (
        <>
          , saved by{' '}
          {author ? (
            <span>
              {author.name} ({author.email})
            </span>
          ) : (
            <span className="break-all">user {createdBy}</span>
          )}
          {createdAt && (
            <>
              {' '}
              <RelativeTime at={createdAt} />
            </>
          )}
          .
        </>
      ) : (
        ': the deployment default, never changed.'
      )}
    </p>
  );
}
