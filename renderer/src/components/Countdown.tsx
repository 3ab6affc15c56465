// A live "in 4m 10s" that ticks every second, and says "expired" once the time has passed.
import { useEffect, useState } from 'react';
import { formatCountdown } from '../lib/format.ts';

export function Countdown({ until }: { until: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const left = until - now;
  return (
    <time dateTime={new Date(until).toISOString()} title={new Date(until).toLocaleString()}>
      {left > 0 ? `in ${formatCountdown(left)}` : 'expired'}
    </time>
  );
}
