import {
  explanationLabel,
  formatPercentOf,
  formatSigned,
  splitFactors,
  type Factor,
} from './breakdownMath';

const TOP = 5;

function FactorList({
  title,
  direction,
  factors,
  id,
}: {
  title: string;
  direction: 'raises' | 'lowers';
  factors: readonly Factor[];
  id: string;
}) {
  const shown = factors.slice(0, TOP);
  const largest = Math.max(...shown.map((f) => Math.abs(f.contribution)), 0);
  return (
    <div>
      <h3 id={id} className="text-sm font-semibold text-slate-900">
        {title}
      </h3>
      {shown.length === 0 ? (
        <p className="mt-1 text-sm text-slate-600">None.</p>
      ) : (
        <ol aria-labelledby={id} className="mt-2 space-y-2">
          {shown.map((factor) => (
            <li key={factor.feature} className="text-sm text-slate-800">
              <div className="flex items-baseline justify-between gap-2">
                <span>
                  <span className="font-medium">{factor.feature}</span>
                  <span className="text-slate-600"> = {factor.value ?? 'missing'}</span>
                </span>
                <span className="font-semibold tabular-nums">
                  {formatSigned(factor.contribution)}{' '}
                  <span className="font-normal text-slate-600">({direction})</span>
                </span>
              </div>
              <div aria-hidden="true" className="mt-1 h-1.5 rounded bg-slate-100">
                <div
                  className={`h-1.5 rounded ${direction === 'raises' ? 'bg-emerald-600' : 'bg-rose-600'}`}
                  style={{ width: formatPercentOf(Math.abs(factor.contribution), largest) }}
                />
              </div>
            </li>
          ))}
        </ol>
      )}
      {factors.length > TOP && (
        <p className="mt-1 text-xs text-slate-600">and {factors.length - TOP} more</p>
      )}
    </div>
  );
}

/** A trained model's explanation: the factors that pushed the score up and down (logit units). */
export function FactorsBreakdown({
  factors,
  baseValue,
  logit,
  rawScore,
  explanationMethod,
  modelType,
}: {
  factors: readonly Factor[];
  baseValue: number | null | undefined;
  logit: number | null | undefined;
  rawScore: number;
  explanationMethod: string | null | undefined;
  modelType: string;
}) {
  const { positive, negative, neutral } = splitFactors(factors);
  return (
    <div className="mt-3 space-y-4">
      <p className="text-sm text-slate-700">
        Contributions are in logit units: a plus sign raises the score, a minus sign lowers it. The
        base value plus every contribution gives the logit.
      </p>
      <div className="grid gap-6 sm:grid-cols-2">
        <FactorList
          id="factors-up"
          title="Top factors raising the score"
          direction="raises"
          factors={positive}
        />
        <FactorList
          id="factors-down"
          title="Top factors lowering the score"
          direction="lowers"
          factors={negative}
        />
      </div>
      {neutral > 0 && (
        <p className="text-xs text-slate-600">
          {neutral} {neutral === 1 ? 'factor has' : 'factors have'} no effect.
        </p>
      )}
      <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm text-slate-800 sm:grid-cols-4">
        <div>
          <dt className="font-medium">Base value</dt>
          <dd className="tabular-nums">{baseValue == null ? '—' : formatSigned(baseValue)}</dd>
        </div>
        <div>
          <dt className="font-medium">Logit</dt>
          <dd className="tabular-nums">{logit == null ? '—' : formatSigned(logit)}</dd>
        </div>
        <div>
          <dt className="font-medium">Probability</dt>
          <dd className="tabular-nums">{(rawScore * 100).toFixed(1)}%</dd>
        </div>
        <div>
          <dt className="font-medium">Explanation method</dt>
          <dd>{explanationLabel(explanationMethod, modelType)}</dd>
        </div>
      </dl>
    </div>
  );
}
