//! [`ThinStr`]: text behind one pointer, for text most items lack (issue 13: memory).

use std::fmt;
use std::ops::Deref;

use thin_vec::ThinVec;

/// Text behind one pointer: 8 bytes, and `Option<ThinStr>` too, instead of a `Box<str>`'s 16;
/// its length is kept in its allocation (16 bytes more there). For text most items lack, such
/// as a network object's description: that object is 56 bytes, which with the collection's
/// sequence number and the shared count fits an 80-byte glibc chunk instead of a 96-byte one.
/// Not changed in place: a new text is a new `ThinStr`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ThinStr(ThinVec<u8>);

impl ThinStr {
    pub fn as_str(&self) -> &str {
        // The bytes are a `str`'s, copied whole and never changed: always UTF-8.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl Deref for ThinStr {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for ThinStr {
    fn from(text: &str) -> Self {
        ThinStr(ThinVec::from(text))
    }
}

impl From<String> for ThinStr {
    fn from(text: String) -> Self {
        ThinStr::from(text.as_str())
    }
}

impl fmt::Debug for ThinStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for ThinStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_its_text_in_one_pointer() {
        assert_eq!(std::mem::size_of::<Option<ThinStr>>(), 8);
        for text in ["", "front end", "é ü — ok", &"x".repeat(300)] {
            let t = ThinStr::from(text);
            assert_eq!(t.as_str(), text);
            assert_eq!(&*t, text);
            assert_eq!(t.to_string(), text);
            assert_eq!(format!("{t:?}"), format!("{text:?}"));
            assert_eq!(t, ThinStr::from(text.to_owned()));
        }
        assert_ne!(ThinStr::from("a"), ThinStr::from("b"));
    }
}
