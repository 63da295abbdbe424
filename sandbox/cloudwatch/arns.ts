// ARNs of the stand-in's log groups and streams, in the fake sandbox account.
import { SANDBOX_ACCOUNT_ID } from '../credentials';

export const logGroupArn = (region: string, name: string) =>
  `arn:aws:logs:${region}:${SANDBOX_ACCOUNT_ID}:log-group:${name}`;

export const logStreamArn = (region: string, group: string, stream: string) =>
  `${logGroupArn(region, group)}:log-stream:${stream}`;
