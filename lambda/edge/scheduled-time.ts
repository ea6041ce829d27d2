/** An EventBridge event's `time`, when the event is one (the monitor's daily schedule). */
export function scheduledTime(event: unknown): Date | undefined {
  const time = (event as { time?: unknown } | null)?.time;
  if (typeof time !== 'string') return undefined;
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
