/**
 * Served in place of https://appsforoffice.microsoft.com/lib/1/hosted/office.js: installs the
 * fake Office described by window.fakeOfficeOptions and exposes its controller to the test.
 */
import {
  installFakeOffice,
  type FakeOfficeController,
  type FakeOfficeOptions,
} from '../support/fake-office';

const page = window as unknown as {
  fakeOfficeOptions?: FakeOfficeOptions;
  fakeOutlook?: FakeOfficeController;
};
page.fakeOutlook = installFakeOffice(
  window as unknown as Record<string, unknown>,
  page.fakeOfficeOptions ?? {},
);
