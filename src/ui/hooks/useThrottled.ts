import { useEffect, useRef, useState } from 'react';

/** The value, but changing at most every `ms` (at once when `now` is true): heavy figures draw less often than training updates. */
export function useThrottled<T>(value: T, ms: number, now: boolean): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    if (value === shown) return;
    const wait = now ? 0 : Math.max(0, last.current + ms - Date.now());
    const t = setTimeout(() => {
      last.current = Date.now();
      setShown(value);
    }, wait);
    return () => clearTimeout(t);
  }, [value, shown, ms, now]);
  return shown;
}
