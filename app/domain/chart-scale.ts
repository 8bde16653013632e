/**
 * A value axis for the bar charts: round tick values from 0 to a "nice" top at
 * or above the largest value (1, 2 or 5 times a power of ten per step), so a
 * reader can tell 12 from 120 at a glance. Pure.
 */
export interface Scale {
  top: number;
  ticks: number[];
}

export function niceScale(max: number, targetTicks = 4): Scale {
  if (!(max > 0) || !Number.isFinite(max)) return { top: 1, ticks: [0, 1] };
  const rough = max / targetTicks;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough)!;
  // Whole-number data (counts) never gets a fractional step.
  const wholeStep = max >= 1 ? Math.max(1, step) : step;
  const top = Math.ceil(max / wholeStep - 1e-9) * wholeStep;
  const ticks: number[] = [];
  for (let v = 0; v <= top + wholeStep / 2; v += wholeStep) ticks.push(Number(v.toPrecision(12)));
  return { top, ticks };
}
