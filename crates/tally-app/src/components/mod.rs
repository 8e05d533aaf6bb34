//! Small reusable pieces of the UI. None of them computes a billing figure: they format and draw
//! what tally-core answered.

pub mod burndown;
pub mod data_menu;
pub mod demo;
pub mod field_error;
pub mod invoice;
pub mod money;
pub mod nav;
pub mod pickers;
pub mod storage_alert;
pub mod usage_chart;
pub mod usage_delete;
pub mod usage_import;
pub mod whatif;
