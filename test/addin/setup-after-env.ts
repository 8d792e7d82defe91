import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// findBy… waits up to 1 s by default; a cold ts-jest cache compiles a lazily imported module
// during that wait on a busy machine. The waits still end as soon as the element appears.
// (Here, after the test framework is installed, so that Testing Library's auto-cleanup registers.)
configure({ asyncUtilTimeout: 10_000 });
