//! Records the API creates (customers, billable metrics, products, rate cards) and their create
//! bodies, declared once: the record as stored always has its id; the body's id is optional (Tally's
//! own addition: given, it names the record, so scenario files can refer to it; absent, Tally makes
//! one). The two cannot drift, since one field list makes both.

/// Declares `$name` (the stored record, with `id: String`) and `$new` (the body of `$call`, with
/// `id: Option<String>`), the same fields otherwise, and `$new::into_record`. Fields in a `stored { }`
/// block after the body are the record's alone: what Tally works out itself and a body cannot set;
/// every record also keeps when it was made (`created_at`) and when it was archived (`archived_at`).
macro_rules! record {
    (
        $(#[$meta:meta])*
        pub struct $name:ident, body $new:ident of $call:literal {
            $( $(#[$fmeta:meta])* pub $field:ident : $ty:ty, )*
        }
    ) => {
        $crate::record::record! {
            $(#[$meta])*
            pub struct $name, body $new of $call {
                $( $(#[$fmeta])* pub $field: $ty, )*
            }
            stored {}
        }
    };
    (
        $(#[$meta:meta])*
        pub struct $name:ident, body $new:ident of $call:literal {
            $( $(#[$fmeta:meta])* pub $field:ident : $ty:ty, )*
        }
        stored {
            $( $(#[$smeta:meta])* pub $sfield:ident : $sty:ty, )*
        }
    ) => {
        $(#[$meta])*
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
        pub struct $name {
            /// Its id: given on create, or made by Tally.
            pub id: String,
            $( $(#[$fmeta])* pub $field: $ty, )*
            $( $(#[$smeta])* pub $sfield: $sty, )*
            /// When it was made, at the engine's clock; none in states exported before Tally kept it.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub created_at: Option<$crate::time::Timestamp>,
            /// When it was archived, if it was: no new term may use it; what uses it keeps billing.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub archived_at: Option<$crate::time::Timestamp>,
        }

        #[doc = concat!("The body of `", $call, "`: a `", stringify!($name), "`, its id optional.")]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
        pub struct $new {
            /// The id to give it; absent: Tally makes one.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub id: Option<String>,
            $( $(#[$fmeta])* pub $field: $ty, )*
        }

        impl $new {
            /// The record this body makes at `now`, under `id` (the body's, or one Tally made), with
            /// nothing yet in what only Tally fills in (the fields after `stored`).
            pub fn into_record(self, id: String, now: $crate::time::Timestamp) -> $name {
                $name {
                    id,
                    $( $field: self.$field, )*
                    $( $sfield: Default::default(), )*
                    created_at: Some(now),
                    archived_at: None,
                }
            }
        }

        impl From<&$name> for $new {
            /// The body that makes the record again (a state written as a scenario file).
            fn from(r: &$name) -> $new {
                let r = r.clone();
                $new { id: Some(r.id), $( $field: r.$field, )* }
            }
        }
    };
}

pub(crate) use record;
