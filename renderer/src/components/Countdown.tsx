// A live "expires in" that ticks every second.
import { useEffect, useState } from 'react';
import { formatCountdown } from '../lib/format.ts';

export function Countdown({ until }: { until: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return <time dateTime={new Date(until).toISOString()} title={new Date(until).toLocaleString()}>{formatCountdown(until - now)}</time>;
}
