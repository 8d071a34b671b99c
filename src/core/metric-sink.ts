/** A datapoint a service publishes about its own work, in an `AWS/` namespace (`AWS/Lambda`). */
export interface ServiceDatum {
  accountId: string;
  region: string;
  namespace: string;
  name: string;
  dimensions: { Name: string; Value: string }[];
  value: number;
  unit: string;
}

/**
 * Where services publish their own metrics. CloudWatch registers the writer, so a publisher never
 * imports CloudWatch; without CloudWatch mounted, datapoints go nowhere, as metrics of a service
 * nobody watches would.
 */
export class MetricSink {
  private writer: ((datum: ServiceDatum) => void) | undefined;

  register(writer: (datum: ServiceDatum) => void): void {
    this.writer = writer;
  }

  record(datum: ServiceDatum): void {
    this.writer?.(datum);
  }
}
