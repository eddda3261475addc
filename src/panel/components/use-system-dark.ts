import { useEffect, useMemo, useState } from 'preact/hooks';

/** Whether the system prefers a dark theme, followed live; false where matchMedia is missing. */
export function useSystemDark(): boolean {
  const media = useMemo(
    () => (typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null),
    [],
  );
  const [dark, setDark] = useState(media?.matches ?? false);
  useEffect(() => {
    if (!media) return;
    const update = () => setDark(media.matches);
    media.addEventListener('change', update);
    return () => media.removeEventListener('change', update);
  }, [media]);
  return dark;
}
