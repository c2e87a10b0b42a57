//! Protobuf records: the `.proto` text the registry serves compiled in-process by
//! `protox` (its imports from the registry's references, Google's well-known types
//! built in), the message chosen by the record's index path, decoded by
//! `prost-reflect` (prost's nesting limit of 100 holds for recursive messages) into
//! JSON with the fields named as the `.proto` names them.

use super::SchemaError;
use prost_reflect::{DescriptorPool, DynamicMessage, MessageDescriptor, SerializeOptions};
use protox::file::{ChainFileResolver, File, FileResolver, GoogleFileResolver};
use std::collections::HashMap;

/// The file name the record's own schema is compiled under (its references keep the
/// names they are imported by).
const MAIN: &str = "ktopo-record.proto";

/// A compiled schema file and its messages, ready to decode records.
pub struct Compiled {
    pool: DescriptorPool,
}

/// `.proto` files by import name: the record's schema and its references.
struct Files(HashMap<String, String>);

impl FileResolver for Files {
    fn open_file(&self, name: &str) -> Result<File, protox::Error> {
        match self.0.get(name) {
            Some(text) => File::from_source(name, text),
            None => Err(protox::Error::file_not_found(name)),
        }
    }
}

/// Deepest `{` nesting accepted in a `.proto` text: the compiler's parser recurses
/// per level, so a hostile text must not reach it.
const MAX_BRACES: usize = 64;

/// Compile a schema and its references (import name, text).
pub fn compile(text: &str, references: &[(String, String)]) -> Result<Compiled, SchemaError> {
    for t in std::iter::once(text).chain(references.iter().map(|(_, t)| t.as_str())) {
        if brace_depth(t) > MAX_BRACES {
            return Err(SchemaError::Parse(format!(
                "Protobuf: nested deeper than {MAX_BRACES} levels"
            )));
        }
    }
    let mut files: HashMap<String, String> = references.iter().cloned().collect();
    files.insert(MAIN.into(), text.into());
    let mut chain = ChainFileResolver::new();
    chain.add(Files(files));
    chain.add(GoogleFileResolver::new());
    let mut compiler = protox::Compiler::with_file_resolver(chain);
    compiler
        .open_file(MAIN)
        .map_err(|e| SchemaError::Parse(format!("Protobuf: {e}")))?;
    Ok(Compiled {
        pool: compiler.descriptor_pool(),
    })
}

/// The deepest brace nesting outside strings and comments.
fn brace_depth(t: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let b = t.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            q @ (b'"' | b'\'') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'<' => {
                depth += 1;
                max = max.max(depth);
            }
            b'}' | b'>' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    max
}

impl Compiled {
    /// The message an index path names: `[1, 0]` is the first message nested in the
    /// file's second.
    pub fn message(&self, path: &[usize]) -> Result<MessageDescriptor, String> {
        let file = self
            .pool
            .get_file_by_name(MAIN)
            .ok_or("the compiled schema has no file")?;
        let (&first, nested) = path.split_first().ok_or("an empty message-index path")?;
        let mut m = file.messages().nth(first).ok_or_else(|| {
            format!(
                "message index {first}: the schema has {} top-level messages",
                file.messages().len()
            )
        })?;
        for &i in nested {
            let n = m.child_messages().len();
            let child = m.child_messages().nth(i);
            m = child.ok_or_else(|| format!("message index {i}: {} has {n} nested messages", m.full_name()))?;
        }
        Ok(m)
    }

    /// One record of the message at `path`, as JSON with the `.proto` field names
    /// (every field, defaults included; 64-bit integers as numbers; enums by name).
    pub fn decode(&self, path: &[usize], bytes: &[u8]) -> Result<(String, serde_json::Value), String> {
        let desc = self.message(path)?;
        let name = desc.full_name().to_string();
        let msg = DynamicMessage::decode(desc, bytes).map_err(|e| format!("{name}: {e}"))?;
        let opts = SerializeOptions::new()
            .use_proto_field_name(true)
            .stringify_64_bit_integers(false)
            .skip_default_fields(false);
        let v = msg
            .serialize_with_options(serde_json::value::Serializer, &opts)
            .map_err(|e| format!("{name}: {e}"))?;
        Ok((name, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_nesting_never_reaches_the_parser() {
        let deep = format!("syntax = \"proto3\"; {} {}", "message M {".repeat(100), "}".repeat(100));
        assert!(matches!(compile(&deep, &[]), Err(SchemaError::Parse(m)) if m.contains("deeper")));
        assert_eq!(brace_depth("// {{{\n/* { */ \"{\" { }"), 1);
    }
}
