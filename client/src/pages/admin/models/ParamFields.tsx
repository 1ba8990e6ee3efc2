import type { TrainableModelType } from '../../../gql/graphql';
import { Field } from '../components/Field';
import { defaultText, PARAM_SPECS, rangeText } from './paramSpecs';

/** One labelled input per hyper-parameter of the type; blank keeps the default. */
export function ParamFields({
  modelType,
  values,
  errors,
  onChange,
}: {
  modelType: TrainableModelType;
  values: Readonly<Record<string, string>>;
  /** By parameter name. */
  errors: Readonly<Record<string, string | undefined>>;
  onChange: (name: string, value: string) => void;
}) {
  return (
    <fieldset className="rounded-md border border-slate-200 p-3">
      <legend className="px-1 text-sm font-medium text-slate-800">
        Hyper-parameters (blank: the default)
      </legend>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {PARAM_SPECS[modelType].map((spec) => (
          <Field
            key={spec.name}
            label={spec.label}
            hint={`Default ${defaultText(spec)}; ${rangeText(spec)}.${spec.help ? ` ${spec.help}` : ''}`}
            error={errors[spec.name]}
          >
            {(p) =>
              spec.kind === 'enum' ? (
                <select
                  {...p}
                  value={values[spec.name] ?? ''}
                  onChange={(e) => onChange(spec.name, e.target.value)}
                >
                  <option value="">Default ({spec.default})</option>
                  {spec.values.map((v) => (
                    <option key={v} value={v}>
                      {v}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  {...p}
                  inputMode="decimal"
                  name={spec.name}
                  value={values[spec.name] ?? ''}
                  onChange={(e) => onChange(spec.name, e.target.value)}
                />
              )
            }
          </Field>
        ))}
      </div>
    </fieldset>
  );
}
