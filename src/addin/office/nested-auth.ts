import type { IPublicClientApplication } from '@azure/msal-browser';
import type { SignInHint } from '../../core/check-report';
import { SignInError } from '../host';

/**
 * Access tokens for the live-check service through MSAL's nested app authentication (NAA): the
 * Outlook host signs the add-in in as its own user, with no sign-in page of ours. MSAL is a
 * chunk of its own, loaded only when a service with the organisation lock asks for a token.
 */

/** NAA is there from this requirement set on (new Outlook, Outlook on the web, current builds). */
const NESTED_APP_AUTH = ['NestedAppAuth', '1.1'] as const;

const applications = new Map<string, Promise<IPublicClientApplication>>();

export async function nestedAccessToken(hint: SignInHint): Promise<string> {
  if (!Office.context.requirements.isSetSupported(...NESTED_APP_AUTH)) {
    throw new SignInError(
      'unsupported',
      'This check service admits only signed-in members of its organisation, and this version of Outlook cannot sign add-ins in. Use new Outlook, Outlook on the web, or an updated Outlook for Windows or Mac.',
    );
  }
  if (!/^https:\/\//.test(hint.authority) || hint.scopes.length === 0) {
    throw new SignInError('failed', 'The check service sent sign-in settings that are not usable.');
  }
  const msal = await import(/* webpackChunkName: "msal" */ '@azure/msal-browser');
  const key = `${hint.clientId} ${hint.authority}`;
  let application = applications.get(key);
  if (!application) {
    application = msal.createNestablePublicClientApplication({
      auth: { clientId: hint.clientId, authority: hint.authority },
    });
    applications.set(key, application);
  }
  const client = await application;
  try {
    return (await client.acquireTokenSilent({ scopes: hint.scopes })).accessToken;
  } catch (silentError) {
    if (!(silentError instanceof msal.InteractionRequiredAuthError)) {
      throw signInFailed(silentError);
    }
  }
  try {
    // Consent or a fresh sign-in: Outlook shows its own prompt (the live check starts on a click).
    return (await client.acquireTokenPopup({ scopes: hint.scopes })).accessToken;
  } catch (error) {
    throw signInFailed(error);
  }
}

function signInFailed(error: unknown): SignInError {
  const detail = error instanceof Error ? error.message : String(error);
  return new SignInError(
    'failed',
    `Signing in for the live check did not work (${detail.slice(0, 200)}). Try again, or ask your administrator whether the add-in may sign you in.`,
  );
}
