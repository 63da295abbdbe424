// ARNs of the stand-in's resources, in the fake sandbox account.
import { SANDBOX_ACCOUNT_ID } from '../credentials';

export const clusterArn = (region: string, id: string) => `arn:aws:rds:${region}:${SANDBOX_ACCOUNT_ID}:cluster:${id}`;

export const instanceArn = (region: string, id: string) => `arn:aws:rds:${region}:${SANDBOX_ACCOUNT_ID}:db:${id}`;
