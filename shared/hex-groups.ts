/** A 64-hex fingerprint in groups of four, to read aloud and compare by eye: "ef6a 957d 62ba …". */
export function groupedHex(hex: string): string {
  return hex.replace(/[0-9a-f]{4}(?=[0-9a-f])/g, '$& ');
}
