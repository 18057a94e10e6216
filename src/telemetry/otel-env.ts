/**
 * Whether traces were asked for, read from the standard OpenTelemetry variables only: an
 * exporter named in OTEL_TRACES_EXPORTER (`otlp`, `console`), or an OTLP endpoint
 * (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) with no exporter named.
 * OTEL_SDK_DISABLED=true and OTEL_TRACES_EXPORTER=none turn it off. Nothing set: off, and
 * no OpenTelemetry package is loaded.
 */
export function tracesExporters(env: NodeJS.ProcessEnv): ('otlp' | 'console')[] {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return [];
  const named = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  if (named.length === 0) {
    const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
    return endpoint ? ['otlp'] : [];
  }
  if (named.includes('none')) return [];
  return [...new Set(named)].filter((name): name is 'otlp' | 'console' =>
    ['otlp', 'console'].includes(name),
  );
}

/** The names in OTEL_TRACES_EXPORTER that Outbound does not ship an exporter for. */
export function unknownExporters(env: NodeJS.ProcessEnv): string[] {
  return (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '' && !['otlp', 'console', 'none'].includes(name));
}
