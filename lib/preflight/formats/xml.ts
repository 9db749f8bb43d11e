// XML 1.0 allows no control character but tab, line feed and carriage return, and no lone
// surrogate: a message built from an object's values (a container name) could hold either.
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- the characters XML cannot hold are what it finds
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text as the content of an XML element. */
export function xmlText(s: string): string {
  return s.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text as the value of an XML attribute (in double quotes), line breaks kept. */
export function xmlAttribute(s: string): string {
  return xmlText(s)
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}
