// The SAE view's last problem, in words, with a way to dismiss it.

import { useSae } from '../../../state/saeStore.ts';

export function SaeNotice() {
  const notice = useSae((s) => s.notice);
  if (!notice) return null;
  return (
    <p className="notice notice-error panel-wide" role="alert">
      {notice}{' '}
      <button type="button" className="link-button" onClick={() => useSae.setState({ notice: null })}>dismiss</button>
    </p>
  );
}
