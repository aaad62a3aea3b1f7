/**
 * @module
 * Tests of `compileDateFormat`: every token, calendar checks (31/02, leap years), 12-hour clocks,
 * two-digit years, and the definition-time errors for unknown tokens and incomplete formats.
 */
import assert from "node:assert/strict";
import { compileDateFormat, fromStrftime } from "../../src/definition/mod.ts";

function parse(format: string, text: string): number[] | string {
  const parts = new Int32Array(5);
  const wrong = compileDateFormat(format).parse(text, parts);
  return wrong ?? [...parts];
}

Deno.test("compileDateFormat() parses each token into year, month, day, hour, minute", async (t) => {
  const cases: { name: string; format: string; text: string; want: number[] }[] = [
    { name: "ISO date", format: "YYYY-MM-DD", text: "2025-03-14", want: [2025, 3, 14, 0, 0] },
    {
      name: "day first with time",
      format: "DD/MM/YYYY HH:mm",
      text: "14/03/2025 22:10",
      want: [2025, 3, 14, 22, 10],
    },
    {
      name: "seconds are read and dropped",
      format: "HH:mm:ss DD/MM/YYYY",
      text: "03:55:59 15/03/2025",
      want: [2025, 3, 15, 3, 55],
    },
    { name: "one-digit month and day", format: "M/D/YYYY", text: "3/7/2025", want: [2025, 3, 7, 0, 0] },
    {
      name: "M and D also take two digits",
      format: "M/D/YYYY",
      text: "12/31/2025",
      want: [2025, 12, 31, 0, 0],
    },
    { name: "two-digit year 00-68 is 20xx", format: "DD.MM.YY", text: "01.02.68", want: [2068, 2, 1, 0, 0] },
    { name: "two-digit year 69-99 is 19xx", format: "DD.MM.YY", text: "01.02.69", want: [1969, 2, 1, 0, 0] },
    { name: "month name in any case", format: "DD-MMM-YYYY", text: "05-mAr-2025", want: [2025, 3, 5, 0, 0] },
    {
      name: "12-hour PM",
      format: "MM/DD/YYYY hh:mm A",
      text: "03/14/2025 10:10 PM",
      want: [2025, 3, 14, 22, 10],
    },
    {
      name: "12 AM is midnight",
      format: "MM/DD/YYYY h:mm A",
      text: "03/14/2025 12:05 am",
      want: [2025, 3, 14, 0, 5],
    },
    {
      name: "12 PM is noon",
      format: "MM/DD/YYYY h:mm A",
      text: "03/14/2025 12:05 PM",
      want: [2025, 3, 14, 12, 5],
    },
    {
      name: "bracketed literal letters",
      format: "YYYY-MM-DD[T]HH:mm",
      text: "2025-03-14T22:10",
      want: [2025, 3, 14, 22, 10],
    },
    {
      name: "fraction digits",
      format: "YYYY-MM-DD HH:mm:ss.SSSSSS",
      text: "2026-11-20 06:41:09.000000",
      want: [2026, 11, 20, 6, 41],
    },
    { name: "compact digits", format: "YYYYMMDD", text: "20250314", want: [2025, 3, 14, 0, 0] },
    {
      name: "29 February of a leap year",
      format: "DD/MM/YYYY",
      text: "29/02/2024",
      want: [2024, 2, 29, 0, 0],
    },
    { name: "29 February 2000", format: "DD/MM/YYYY", text: "29/02/2000", want: [2000, 2, 29, 0, 0] },
  ];
  for (const c of cases) {
    await t.step(c.name, () => assert.deepEqual(parse(c.format, c.text), c.want));
  }
});

Deno.test("compileDateFormat() rejects values that do not fit the format or the calendar", async (t) => {
  const cases = [
    {
      name: "31 February",
      format: "DD/MM/YYYY",
      text: "31/02/2025",
      want: "day 31 does not exist in February 2025",
    },
    {
      name: "29 February of a common year",
      format: "DD/MM/YYYY",
      text: "29/02/2025",
      want: "day 29 does not exist in February 2025",
    },
    {
      name: "29 February 1900",
      format: "DD/MM/YYYY",
      text: "29/02/1900",
      want: "day 29 does not exist in February 1900",
    },
    {
      name: "31 April",
      format: "DD/MM/YYYY",
      text: "31/04/2025",
      want: "day 31 does not exist in April 2025",
    },
    { name: "day 0", format: "DD/MM/YYYY", text: "00/04/2025", want: "day 0 does not exist in April 2025" },
    { name: "month 13", format: "DD/MM/YYYY", text: "01/13/2025", want: "month 13 is out of range 1-12" },
    {
      name: "hour 24",
      format: "DD/MM/YYYY HH:mm",
      text: "01/01/2025 24:00",
      want: "hour 24 is out of range 0-23",
    },
    {
      name: "minute 60",
      format: "DD/MM/YYYY HH:mm",
      text: "01/01/2025 23:60",
      want: "minute 60 is out of range 0-59",
    },
    {
      name: "hour 13 with PM",
      format: "DD/MM/YYYY hh:mm A",
      text: "01/01/2025 13:00 PM",
      want: "hour 13 is out of range 1-12 for AM/PM",
    },
    {
      name: "not AM or PM",
      format: "DD/MM/YYYY hh:mm A",
      text: "01/01/2025 10:00 XM",
      want: `expected "AM" or "PM" at position 18`,
    },
    { name: "wrong separator", format: "DD/MM/YYYY", text: "14-03-2025", want: `expected "/" at position 3` },
    {
      name: "one digit where two are needed",
      format: "DD/MM/YYYY",
      text: "4/03/2025",
      want: `expected 2 digits for "DD" at position 1`,
    },
    {
      name: "trailing text",
      format: "DD/MM/YYYY",
      text: "14/03/2025 22:10",
      want: `unexpected text " 22:10" after the date`,
    },
    {
      name: "unknown month name",
      format: "DD-MMM-YYYY",
      text: "05-Mrz-2025",
      want: `expected a month name such as "Jan" at position 4`,
    },
    {
      name: "two-digit year for YYYY",
      format: "DD/MM/YYYY",
      text: "14/03/25",
      want: `expected 4 digits for "YYYY" at position 7`,
    },
    { name: "empty value", format: "DD/MM/YYYY", text: "", want: `expected 2 digits for "DD" at position 1` },
  ];
  for (const c of cases) {
    await t.step(c.name, () => assert.equal(parse(c.format, c.text), c.want));
  }
});

Deno.test("compileDateFormat() rejects unknown tokens and incomplete formats when the definition loads", async (t) => {
  const cases = [
    { name: "unknown token QQ", format: "DD/QQ/YYYY", want: `unknown format token "QQ"` },
    { name: "strftime is not guessed", format: "%d/%m/%Y", want: `unknown format token "d"` },
    { name: "lower-case year", format: "dd/mm/yyyy", want: `unknown format token "dd"` },
    { name: "three Ds", format: "DDD/MM/YYYY", want: `unknown format token "DDD"` },
    { name: "a bare T needs brackets", format: "YYYY-MM-DDTHH:mm", want: `unknown format token "T"` },
    { name: "no year", format: "DD/MM", want: "the format has no year (YYYY or YY)" },
    { name: "no day", format: "MM/YYYY", want: "the format has no day (DD or D)" },
    { name: "month twice", format: "MM/MM/YYYY DD", want: "the month appears twice" },
    {
      name: "hh without A",
      format: "DD/MM/YYYY hh:mm",
      want: `12-hour "hh" or "h" needs the AM/PM marker "A"`,
    },
    {
      name: "A with HH",
      format: "DD/MM/YYYY HH:mm A",
      want: `the AM/PM marker "A" needs 12-hour "hh" or "h", not "HH"`,
    },
    {
      name: "minutes without hour",
      format: "DD/MM/YYYY mm",
      want: `minutes "mm" need an hour (HH, H, hh or h)`,
    },
    { name: "unclosed bracket", format: "YYYY-MM-DD[T", want: `"[" at position 11 is not closed with "]"` },
    { name: "empty", format: "", want: "the format is empty" },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      assert.throws(() => compileDateFormat(c.format), (error: Error) => {
        assert.ok(error instanceof SyntaxError);
        assert.equal(error.message.split(":")[0], c.want.split(":")[0]);
        assert.ok(error.message.startsWith(c.want), error.message);
        return true;
      });
    });
  }
});

Deno.test("compileDateFormat() reports whether the format reads a time", () => {
  assert.equal(compileDateFormat("DD/MM/YYYY").hasTime, false);
  assert.equal(compileDateFormat("DD/MM/YYYY H:mm").hasTime, true);
});

Deno.test("fromStrftime() converts ttidef date formats and rejects specifiers without an equivalent", async (t) => {
  const cases = [
    { format: "%d/%m/%Y", want: "D/M/YYYY" },
    { format: "%H:%M:%S %d/%m/%Y", want: "H:mm:ss D/M/YYYY" },
    { format: "%Y-%m-%dT%H:%M", want: "YYYY-M-D[T]H:mm" },
    { format: "%d-%b-%y %I:%M %p", want: "D-MMM-YY h:mm A" },
    { format: "100%% %Y%m%d", want: "100% YYYYMD" },
  ];
  for (const c of cases) {
    await t.step(c.format, () => {
      assert.equal(fromStrftime(c.format), c.want);
      compileDateFormat(c.want);
    });
  }
  await t.step("a converted format parses like strptime", () => {
    const parts = new Int32Array(5);
    assert.equal(compileDateFormat(fromStrftime("%d/%m/%Y %H:%M")).parse("4/3/2025 7:05", parts), undefined);
    assert.deepEqual([...parts], [2025, 3, 4, 7, 5]);
  });
  await t.step("%j has no equivalent", () => {
    assert.throws(() => fromStrftime("%Y-%j"), {
      name: "SyntaxError",
      message:
        `"%j" in "%Y-%j" has no tapesync equivalent: tokens are YYYY YY MMM MM M DD D HH H hh h mm ss A S`,
    });
  });
  await t.step("a lone % at the end", () => {
    assert.throws(() => fromStrftime("%Y%"), {
      name: "SyntaxError",
      message: `"%" at the end of "%Y%" has no specifier`,
    });
  });
});
