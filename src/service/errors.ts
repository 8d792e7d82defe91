import type { CheckError, CheckErrorCategory, CheckErrorCode } from '../core/check-report';

/** Category and whether trying later can help, per code: fixed, so clients can rely on them. */
const CODES: Readonly<
  Record<CheckErrorCode, { category: CheckErrorCategory; temporary: boolean }>
> = {
  INVALID_INPUT: { category: 'input', temporary: false },
  DNS_NXDOMAIN: { category: 'dns', temporary: false },
  DNS_SERVFAIL: { category: 'dns', temporary: true },
  DNS_TIMEOUT: { category: 'dns', temporary: true },
  DNS_ERROR: { category: 'dns', temporary: true },
  NO_MX: { category: 'dns', temporary: false },
  NULL_MX: { category: 'dns', temporary: false },
  NO_ADDRESS: { category: 'dns', temporary: false },
  TARGET_NOT_ALLOWED: { category: 'policy', temporary: false },
  CONNECT_FAILED: { category: 'network', temporary: true },
  CONNECT_TIMEOUT: { category: 'network', temporary: true },
  CONNECTION_CLOSED: { category: 'network', temporary: true },
  BANNER_TIMEOUT: { category: 'smtp', temporary: true },
  SMTP_TIMEOUT: { category: 'smtp', temporary: true },
  SMTP_TEMPORARY: { category: 'smtp', temporary: true },
  SMTP_REJECTED: { category: 'smtp', temporary: false },
  SMTP_PROTOCOL: { category: 'smtp', temporary: false },
  STARTTLS_NOT_OFFERED: { category: 'tls', temporary: false },
  STARTTLS_REFUSED: { category: 'tls', temporary: true },
  TLS_HANDSHAKE_FAILED: { category: 'tls', temporary: false },
  CERT_UNTRUSTED: { category: 'certificate', temporary: false },
  CERT_EXPIRED: { category: 'certificate', temporary: false },
  CERT_NOT_YET_VALID: { category: 'certificate', temporary: false },
  CERT_NAME_MISMATCH: { category: 'certificate', temporary: false },
  BUDGET_EXCEEDED: { category: 'network', temporary: true },
};

export function checkError(
  code: CheckErrorCode,
  message: string,
  cause: string | null,
): CheckError {
  return { code, ...CODES[code], message, cause };
}
