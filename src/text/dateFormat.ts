// Building an Intl.DateTimeFormat costs about 0.1 ms; formatting with one is a few microseconds. A
// turn formats dates in a handful of shapes in its shop's timezone (an order list formats one per
// order), so the formats are built once per process and shape, not once per date.
const KEPT_MAX = 256;
const kept = new Map<string, Intl.DateTimeFormat>();

/** The same as `new Intl.DateTimeFormat(locale, options)`, built once per locale and options. */
export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}\u0000${JSON.stringify(options)}`;
  let format = kept.get(key);
  if (!format) {
    // An unknown timezone throws here, before anything is kept, as it did unkept.
    format = new Intl.DateTimeFormat(locale, options);
    // Shops name a few timezones; the bound only stops a stream of new ones from growing this.
    if (kept.size >= KEPT_MAX) kept.delete(kept.keys().next().value!);
    kept.set(key, format);
  }
  return format;
}
