import { useEffect, useRef, useState } from 'react';

/**
 * A text input's own value, committed `delayMs` after the last keystroke. When `value` (the
 * committed one, e.g. from the URL) changes from outside, the input follows it.
 */
export function useDebouncedText(
  value: string,
  commit: (text: string) => void,
  delayMs = 300,
): [string, (text: string) => void] {
  const [text, setText] = useState(value);
  const [seen, setSeen] = useState(value);
  if (value !== seen) {
    setSeen(value);
    setText(value);
  }
  const commitRef = useRef(commit);
  useEffect(() => {
    commitRef.current = commit;
  });
  useEffect(() => {
    if (text === value) return;
    const timer = setTimeout(() => commitRef.current(text), delayMs);
    return () => clearTimeout(timer);
  }, [text, value, delayMs]);
  return [text, setText];
}
