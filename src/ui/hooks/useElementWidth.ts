import { useCallback, useRef, useState } from 'react';

/**
 * Width of an element in CSS pixels, kept up to date with a ResizeObserver.
 * Returns a callback ref, so it follows the element even if React swaps it.
 */
export function useElementWidth<T extends HTMLElement>(fallback = 320): [(el: T | null) => void, number] {
  const [width, setWidth] = useState(fallback);
  const observer = useRef<ResizeObserver | null>(null);
  const ref = useCallback((el: T | null) => {
    observer.current?.disconnect();
    observer.current = null;
    if (!el) return;
    if (el.clientWidth > 0) setWidth(el.clientWidth);
    observer.current = new ResizeObserver(([entry]) => {
      const w = Math.floor(entry.contentRect.width);
      if (w > 0) setWidth(w);
    });
    observer.current.observe(el);
  }, []);
  return [ref, width];
}
