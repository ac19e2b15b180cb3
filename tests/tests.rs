//! Integration tests: each runs the real `kompass` binary on files in a
//! private temp folder and checks the numbers it writes; but for the
//! statistical and fuzz tests (`test_coverage`, `test_average_coverage`,
//! `test_difference_coverage`,
//! `test_equip_discrete`, `test_equip_summary`, `test_jackknife`,
//! `test_fuzz`), which call the library in-process
//! so that hundreds of generated data sets stay fast.

mod nobody;
mod workdir;

#[cfg(target_os = "linux")]
mod test_access_lists;
mod test_all_rejected;
mod test_analysis;
mod test_as_written;
mod test_audit_messages;
mod test_average_coverage;
mod test_average_intervals;
mod test_batch;
mod test_bom_rows;
mod test_browser;
mod test_chart_audit;
mod test_chart_cases;
mod test_chart_contrast;
mod test_charts;
mod test_cli_messages;
mod test_config_errors;
mod test_config_keys;
mod test_config_paths;
mod test_country_option;
mod test_coverage;
mod test_difference_coverage;
mod test_encodings;
mod test_equip_discrete;
mod test_equip_summary;
mod test_equipercentile;
mod test_export_edges;
mod test_file_edges;
mod test_finding_keys;
mod test_formats;
mod test_former_codes;
mod test_fuzz;
mod test_group_differences;
mod test_groupings;
mod test_header_variants;
mod test_ingest;
mod test_input_files;
mod test_input_safety;
mod test_instruments;
mod test_jackknife;
mod test_joined_exports;
mod test_keep;
mod test_late_faults;
mod test_leftovers;
mod test_link_bootstrap;
mod test_link_chart;
mod test_link_clamp;
mod test_link_identity;
mod test_link_quality;
mod test_link_spread;
mod test_link_ties;
mod test_link_units;
mod test_linked_choice;
mod test_linking;
mod test_mean_agreement;
mod test_nordic_exports;
mod test_nordic_words;
mod test_ostersund;
#[cfg(unix)]
mod test_other_user;
mod test_outdir_edges;
mod test_published;
mod test_published_spellings;
mod test_quotes;
mod test_read_back;
mod test_readme;
mod test_reference_messages;
mod test_rejected_names;
mod test_report;
mod test_report_gaps;
mod test_report_index;
mod test_report_marks;
mod test_report_names;
mod test_report_notes;
mod test_report_texts;
mod test_rerun_context;
mod test_retire;
mod test_rules;
mod test_safety;
mod test_score_bounds;
mod test_side_tables;
mod test_spill;
mod test_standings;
mod test_svg_as_png;
mod test_synth;
mod test_synth_counts;
mod test_synth_left;
mod test_trend_chart;
mod test_trends;
mod test_user_trial;
mod test_wide_cells;
