/** How times and durations read in the admin pages. */

export function formatTime(ms: number | null | undefined): string {
  if (ms == null) return '—';
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' UTC');
}

export function formatAge(seconds: number | null | undefined): string {
  if (seconds == null) return '—';
  const s = Math.floor(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

/** "12 s ago", "in 3 min", "2 d ago": how long from `now` to `ms`, in the largest unit. */
export function formatRelative(ms: number, now: number): string {
  const delta = Math.round((ms - now) / 1000);
  const s = Math.abs(delta);
  if (s < 5) return 'just now';
  let amount: string;
  if (s < 60) amount = `${s} s`;
  else if (s < 3600) amount = `${Math.floor(s / 60)} min`;
  else if (s < 86_400) amount = `${Math.floor(s / 3600)} h`;
  else if (s < 60 * 86_400) amount = `${Math.floor(s / 86_400)} d`;
  // Months away the day itself says more.
  else return new Date(ms).toISOString().slice(0, 10);
  return delta < 0 ? `${amount} ago` : `in ${amount}`;
}
