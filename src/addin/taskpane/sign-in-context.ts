import { createContext } from 'react';
import type { SignInHint } from '../../core/check-report';

/**
 * How the live check signs in to a service with the organisation lock: through the mail host
 * (nested app authentication in Outlook), or not at all (null: the standalone page).
 */
export const AccessTokenContext = createContext<((hint: SignInHint) => Promise<string>) | null>(
  null,
);
