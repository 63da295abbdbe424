import type { LogType } from '../types';
import type { UnparsedRecord } from './types';

export const unparsed = (type: LogType, parseError: string, raw: string): UnparsedRecord => ({ type, parseError, raw });
