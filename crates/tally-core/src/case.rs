//! Enum values are accepted in any letter case (the seed writes `prepaid`, the API reference `PREPAID`);
//! they are always written back in upper case.

/// Declares an enum whose variants read from any-case strings and serialize as the upper-case name.
macro_rules! api_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[doc = concat!("\n\nOne of ", $("`", $text, "` "),+, "(read in any letter case).")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $(#[doc = concat!("`", $text, "`")] $variant),+ }

        impl $name {
            /// Every value, as written back.
            pub const ALL: &'static [&'static str] = &[$($text),+];
            /// The value as the API writes it (upper case).
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "string", "enum": [$($text),+], "x-any-case": true })
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                $(if s.eq_ignore_ascii_case($text) { return Ok($name::$variant); })+
                Err(serde::de::Error::custom(format!(
                    "`{s}` is not one of {}", $name::ALL.join(", ")
                )))
            }
        }
    };
}

pub(crate) use api_enum;
