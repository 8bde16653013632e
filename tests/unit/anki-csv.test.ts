import { describe, expect, it } from "vitest";
import { decodeUtf8, htmlFieldToMarkdown, parseAnkiText } from "../../app/domain/anki-csv";

describe("parseAnkiText", () => {
  it("reads Anki's headers, quoted fields over lines and the named columns", () => {
    const r = parseAnkiText('#separator:Comma\n#html:true\n#columns:GUID,Front,Back,Deck,Tags\n#guid column:1\n#deck column:4\n#tags column:5\ng1,"a, b","line one\nline ""two""",Attention Span::Attention,own x\n');
    expect(r).toEqual({ ok: true, html: true, cards: [{ line: 7, front: "a, b", back: 'line one\nline "two"', deck: "Attention Span::Attention", tags: ["own", "x"], guid: "g1" }] });
  });

  it("guesses the separator from the first line when no header names it", () => {
    const tab = parseAnkiText("q\ta;b\n");
    expect(tab.ok && tab.cards[0]).toMatchObject({ front: "q", back: "a;b" });
    const semi = parseAnkiText("q;a,b\n");
    expect(semi.ok && semi.cards[0]).toMatchObject({ front: "q", back: "a,b" });
  });

  it("says which line lacks a column, and which columns are missing", () => {
    expect(parseAnkiText("a,b\nc\n")).toMatchObject({ ok: false, error: expect.stringMatching(/^Line 2 has 1 column/) });
    expect(parseAnkiText("#columns:Front;Answer\n#separator:semicolon\na;b\n")).toMatchObject({ ok: false, error: expect.stringMatching(/no Back column/) });
    expect(parseAnkiText("#separator:Tab\n")).toMatchObject({ ok: false, error: expect.stringMatching(/no cards/) });
    expect(parseAnkiText('"open,b\n')).toMatchObject({ ok: false, error: expect.stringMatching(/never closed/) });
  });
});

describe("decodeUtf8 and htmlFieldToMarkdown", () => {
  it("refuses bytes that are not UTF-8 and drops a BOM", () => {
    expect(decodeUtf8(new Uint8Array([0xc3, 0x28])).ok).toBe(false);
    expect(decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]))).toEqual({ ok: true, text: "a" });
  });

  it("turns Anki's HTML and MathJax back into Markdown and dollars", () => {
    expect(htmlFieldToMarkdown("Is \\(x &lt; y\\)?<br>Yes <b>really</b>")).toBe("Is $x < y$?\nYes really");
  });
});
