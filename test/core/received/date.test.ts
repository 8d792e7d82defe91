import { parseReceivedDate } from '../../../src/core/received/date';

describe('parseReceivedDate', () => {
  test.each([
    ['Tue, 12 Mar 2024 10:15:15 +0100 (CET)', '2024-03-12T09:15:15.000Z', 60],
    ['Tue,  8 Mar 2017 16:46:11 +0000 (GMT)', '2017-03-08T16:46:11.000Z', 0],
    ['8 Mar 2017 16:46:30 -0000', '2017-03-08T16:46:30.000Z', 0],
    ['Wed, 12 Feb 2003 14:22:21 PST', '2003-02-12T22:22:21.000Z', -480],
    ['Mon, 26 Oct 2020 05:43:28 -0700 (PDT)', '2020-10-26T12:43:28.000Z', -420],
    ['Wed, 26 Mar 03 20:43:24 -0600', '2003-03-27T02:43:24.000Z', -360],
    ['Fri, 27 Feb 99 14:16:56 -0800', '1999-02-27T22:16:56.000Z', -480],
    ['Fri Feb 07 10:18:12 2003 -0800', '2003-02-07T18:18:12.000Z', -480],
    ['Sun Nov 13 14:50:12 2005', '2005-11-13T14:50:12.000Z', null],
    ['Fri Sep 14 14:36:56 EDT 2018', '2018-09-14T18:36:56.000Z', -240],
    ['Thu, 02 Apr 2020 07:53:55.516 +0000 (UTC)', '2020-04-02T07:53:55.000Z', 0],
    ['17 Jan 2011 08:23:27 -0800 PST', '2011-01-17T16:23:27.000Z', -480],
    ['Wed, 07 Aug 2024 21:23:10 -0400', '2024-08-08T01:23:10.000Z', -240],
    ['Mon, 1 Apr 2024 01:02 GMT', '2024-04-01T01:02:00.000Z', 0],
    ['30 Apr 2003 15:06:29', '2003-04-30T15:06:29.000Z', null],
  ])('%s', (raw, iso, offset) => {
    const date = parseReceivedDate(raw);
    expect(date.iso).toBe(iso);
    expect(date.offsetMinutes).toBe(offset);
  });

  test.each([
    ['time only', '14:47:44 +0000'],
    ['garbage', 'yesterday around noon'],
    ['impossible day', 'Fri, 31 Feb 2024 10:00:00 +0000'],
    ['impossible hour', 'Fri, 1 Mar 2024 25:00:00 +0000'],
    ['empty', ''],
  ])('unreadable: %s', (_name, raw) => {
    const date = parseReceivedDate(raw);
    expect(date.iso).toBeNull();
    expect(date.epochMs).toBeNull();
    expect(date.raw).toBe(raw.trim());
  });
});
