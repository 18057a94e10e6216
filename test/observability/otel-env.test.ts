/** Which OTEL_* settings switch traces on: the standard variables, read as the spec reads them. */
import { describe, expect, it } from 'vitest';
import { tracesExporters, unknownExporters } from '../../src/telemetry/otel-env.js';

describe('traces from the OTEL_* variables', () => {
  it('are off with nothing set, and with OTEL_SDK_DISABLED=true or the exporter none', () => {
    expect(tracesExporters({})).toEqual([]);
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(tracesExporters({ ...endpoint, OTEL_SDK_DISABLED: 'TRUE' })).toEqual([]);
    expect(tracesExporters({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' })).toEqual([]);
    expect(tracesExporters({ OTEL_SERVICE_NAME: 'outbound' })).toEqual([]);
  });

  it('go over OTLP with an endpoint and no exporter named, or to the exporters named', () => {
    expect(tracesExporters({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })).toEqual(['otlp']);
    expect(tracesExporters({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c/v1/traces' })).toEqual([
      'otlp',
    ]);
    expect(tracesExporters({ OTEL_TRACES_EXPORTER: 'otlp' })).toEqual(['otlp']);
    expect(tracesExporters({ OTEL_TRACES_EXPORTER: ' console , otlp,zipkin' })).toEqual([
      'console',
      'otlp',
    ]);
    expect(tracesExporters({ OTEL_SDK_DISABLED: 'false', OTEL_TRACES_EXPORTER: 'otlp' })).toEqual([
      'otlp',
    ]);
    expect(unknownExporters({ OTEL_TRACES_EXPORTER: 'otlp,zipkin,jaeger' })).toEqual([
      'zipkin',
      'jaeger',
    ]);
  });
});
