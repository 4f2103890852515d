//! A small element tree over quick-xml for the XML manifests (pom.xml, *.csproj,
//! packages.config, *.nuspec, Directory.Packages.props).
//!
//! Owns: turning XML text into elements with local names, attributes, trimmed text and the
//! line each element starts on; a truncated or malformed document becomes a `ParseError`
//! with its line. Never resolves external entities or DTDs, never fetches anything.

use super::{ParseError, line_of_offset};
use quick_xml::events::{BytesStart, Event};

/// One element: local name (namespace prefix dropped), attributes, text, children.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    /// The element's own text (and CDATA), entities resolved, trimmed.
    pub text: String,
    /// 1-based line of the start tag.
    pub line: u32,
}

impl Element {
    /// The first child with this local name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// All children with this local name.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text of the first child with this name, if not empty.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str()).filter(|t| !t.is_empty())
    }

    /// An element reached by a path of child names.
    pub fn path(&self, names: &[&str]) -> Option<&Element> {
        names.iter().try_fold(self, |e, n| e.child(n))
    }

    /// An attribute's value; MSBuild attribute names are case-insensitive, so this is too.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// The deepest nesting of elements a document may have. Manifests nest a few levels; a
/// deeper document is refused before its tree (dropped recursively) can exhaust the stack.
pub const MAX_DEPTH: usize = 256;

/// Parse a document and return its root element.
pub fn parse(text: &str) -> Result<Element, ParseError> {
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let bytes = text.as_bytes();
    // Lines are counted incrementally: positions only grow.
    let mut counted_to = 0usize;
    let mut line = 1u32;
    let mut line_at = |pos: usize| -> u32 {
        let pos = pos.min(bytes.len());
        if pos > counted_to {
            line += memchr::memchr_iter(b'\n', &bytes[counted_to..pos]).count() as u32;
            counted_to = pos;
        }
        line
    };
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let start = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader.read_event().map_err(|e| {
            let at = usize::try_from(reader.error_position()).unwrap_or(0);
            ParseError::at(line_of_offset(bytes, at), format!("invalid XML: {e}"))
        })?;
        match event {
            Event::Start(s) => {
                let el = element(&s, line_at(start))?;
                if stack.len() >= MAX_DEPTH {
                    return Err(ParseError::at(
                        el.line,
                        format!("invalid XML: elements nested deeper than {MAX_DEPTH} levels"),
                    ));
                }
                stack.push(el);
            }
            Event::Empty(s) => {
                let el = element(&s, line_at(start))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = root.or(Some(el)),
                }
            }
            Event::End(_) => {
                let Some(mut el) = stack.pop() else {
                    return Err(ParseError::at(line_at(start), "invalid XML: end tag without a start tag"));
                };
                el.text = el.text.trim().to_string();
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = root.or(Some(el)),
                }
            }
            Event::Text(t) => {
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(el) = stack.last_mut() {
                    let name = r.xml10_content();
                    if let Ok(Some(c)) = r.resolve_char_ref() {
                        el.text.push(c);
                    } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&name) {
                        el.text.push_str(s);
                    } else {
                        // An entity declared in a DTD: kept as written, never resolved.
                        el.text.push('&');
                        el.text.push_str(&name);
                        el.text.push(';');
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(ParseError::at(
            line_of_offset(bytes, bytes.len()),
            format!("invalid XML: the document ends before <{}> (line {}) is closed", open.name, open.line),
        ));
    }
    root.ok_or_else(|| ParseError::new("invalid XML: no root element"))
}

fn element(s: &BytesStart, line: u32) -> Result<Element, ParseError> {
    let name = s.local_name();
    let name = name.as_ref().to_string();
    let mut attrs = Vec::new();
    for a in s.attributes() {
        let a = a.map_err(|e| ParseError::at(line, format!("invalid XML attribute in <{name}>: {e}")))?;
        let key = a.key.local_name().as_ref().to_string();
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map(|v| v.into_owned())
            .unwrap_or_else(|_| a.value.to_string());
        attrs.push((key, value));
    }
    Ok(Element { name, attrs, children: Vec::new(), text: String::new(), line })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_with_lines_entities_and_namespaces() {
        let doc = "<?xml version=\"1.0\"?>\n<m:project xmlns:m=\"x\">\n  <a k=\"v &amp; w\">one &lt; two</a>\n  <b/>\n  <c><![CDATA[raw <text>]]></c>\n</m:project>\n";
        let root = parse(doc).unwrap();
        assert_eq!(root.name, "project");
        assert_eq!(root.line, 2);
        let a = root.child("a").unwrap();
        assert_eq!((a.text.as_str(), a.attr("K"), a.line), ("one < two", Some("v & w"), 3));
        assert_eq!(root.child("b").unwrap().line, 4);
        assert_eq!(root.child_text("c"), Some("raw <text>"));
    }

    #[test]
    fn truncated_and_mismatched_documents_are_errors_with_lines() {
        let e = parse("<project>\n  <dependencies>\n    <dependency>\n").unwrap_err();
        assert!(e.message.contains("ends before <dependency>"), "{e}");
        assert_eq!(e.line, Some(4));
        let e = parse("<project>\n  <a></b>\n</project>").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = format!("<project>\n{}{}</project>", "<a>".repeat(150_000), "</a>".repeat(150_000));
        let e = parse(&deep).unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("nested deeper than 256 levels"), "{e}");
        let fine = format!("<p>{}{}</p>", "<a>".repeat(MAX_DEPTH - 1), "</a>".repeat(MAX_DEPTH - 1));
        assert!(parse(&fine).is_ok());
    }
}
