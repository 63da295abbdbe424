// The errors the stand-in answers, with the codes and HTTP statuses of the RDS API model,
// so the real SDK maps each one to its own exception class.

export class RdsFault extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'RdsFault';
  }
}

export const dbClusterNotFound = (id: string) =>
  new RdsFault('DBClusterNotFoundFault', 404, `DBCluster ${id} not found.`);

export const dbInstanceNotFound = (id: string) =>
  new RdsFault('DBInstanceNotFound', 404, `DBInstance ${id} not found.`);

export const dbInstanceNotReady = (id: string) =>
  new RdsFault('DBInstanceNotReady', 400, `DB instance ${id} is paused (Aurora Serverless v2 auto-pause).`);

export const dbLogFileNotFound = (instance: string, file: string) =>
  new RdsFault('DBLogFileNotFoundFault', 404, `DBLogFile ${file} for DBInstance ${instance} not found.`);

export const throttled = () => new RdsFault('Throttling', 400, 'Rate exceeded');

export const invalidParameterValue = (message: string) => new RdsFault('InvalidParameterValue', 400, message);

export const missingParameter = (name: string) =>
  new RdsFault('MissingParameter', 400, `The request must contain the parameter ${name}`);

export const signatureDoesNotMatch = (message: string) => new RdsFault('SignatureDoesNotMatch', 403, message);
