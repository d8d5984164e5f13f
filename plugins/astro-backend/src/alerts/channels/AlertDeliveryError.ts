/** A delivery that failed, with how many attempts were made. */
export class AlertDeliveryError extends Error {
  name = 'AlertDeliveryError';

  constructor(message: string, readonly attempts: number) {
    super(message);
  }
}
