// XML in the shape of the RDS awsQuery protocol (2014-10-31 namespace).
import type { RdsFault } from './errors';

const NAMESPACE = 'http://rds.amazonaws.com/doc/2014-10-31/';

const escapeXml = (text: string): string =>
  text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);

/** An element; `undefined` content omits it, the way RDS omits absent members. */
export function element(name: string, content: string | number | boolean | undefined): string {
  return content === undefined
    ? ''
    : `<${name}>${typeof content === 'string' ? escapeXml(content) : content}</${name}>`;
}

/** An element whose content is already XML. */
export const wrap = (name: string, xml: string): string => `<${name}>${xml}</${name}>`;

export function successXml(action: string, resultXml: string, requestId: string): string {
  return (
    `<${action}Response xmlns="${NAMESPACE}">${wrap(`${action}Result`, resultXml)}` +
    `${wrap('ResponseMetadata', element('RequestId', requestId))}</${action}Response>`
  );
}

export function errorXml(fault: RdsFault, requestId: string): string {
  const type = fault.status >= 500 ? 'Receiver' : 'Sender';
  const error = element('Type', type) + element('Code', fault.code) + element('Message', fault.message);
  return `<ErrorResponse xmlns="${NAMESPACE}">${wrap('Error', error)}${element('RequestId', requestId)}</ErrorResponse>`;
}
