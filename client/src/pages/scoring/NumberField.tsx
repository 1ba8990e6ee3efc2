import { inputBase } from './styles';

/**
 * A labelled number input with its own error and, for rules across fields, its group's error;
 * both are announced with it (aria-describedby) and mark it invalid.
 */
export function NumberField({
  id,
  label,
  value,
  onChange,
  error,
  groupErrorId,
  hint,
  min,
  max,
  step = 'any',
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  /** The id of the group's error message, when the group has one. */
  groupErrorId?: string;
  hint?: string;
  min?: number;
  max?: number;
  step?: number | 'any';
}) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId, groupErrorId].filter(Boolean).join(' ') || undefined;
  const invalid = Boolean(error || groupErrorId);
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        step={step}
        min={min}
        max={max}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        className={`${inputBase} mt-1 ${invalid ? 'border-red-700 ring-1 ring-red-700' : 'border-slate-400'}`}
      />
      {hint && (
        <p id={hintId} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="mt-1 text-sm text-red-800">
          {error}
        </p>
      )}
    </div>
  );
}
