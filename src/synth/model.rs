//! The generator's model of how municipalities score, calibrated to the
//! published figures (seed report and data notes):
//!
//! - a latent score per municipality and area on the `new` scale: the
//!   country's first-round profile, plus a municipality effect shared by all
//!   areas, plus an area-specific effect, plus evaluation noise;
//! - between rounds, a total gain drawn around 60 points (35-85 typical),
//!   spread over the areas;
//! - `old` = intercept + slope x new + noise (SD 1) per area (through Östersund 2010:
//!   old minus new +11, +13.5, +4, +13, +16, -7, +4, +12), rounded to halves;
//! - `2020` area j = intercept + slope x new area m(j) + noise.
//!
//! Every parameter is written to `truth.json`.

use serde::Serialize;

use crate::reference::country;
use crate::stats::rng::Rng;

pub const AREAS: usize = 8;

/// "Medel kommuner ny poängskala", Table 1 of the seed.
pub const SEED_PROFILE: [f64; AREAS] = [49.0, 54.0, 66.0, 56.0, 55.0, 57.0, 50.0, 67.0];
/// Östersund 2010 on the new scale (seed, Table 1).
pub const OSTERSUND_NEW: [f64; AREAS] = [68.0, 66.0, 77.0, 64.0, 57.0, 74.0, 66.0, 76.0];
/// Östersund 2010 on the old scale (seed, Table 1).
pub const OSTERSUND_OLD: [f64; AREAS] = [79.0, 79.5, 81.0, 77.0, 73.0, 67.0, 70.0, 88.0];

/// A linear relation `to = intercept + slope * from + N(0, noise_sd)`.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Relation {
    pub slope: f64,
    pub intercept: f64,
    pub noise_sd: f64,
}

/// A country's scoring level.
#[derive(Debug, Clone, Serialize)]
pub struct CountryModel {
    pub country: String,
    /// Share of generated municipality histories.
    pub weight: f64,
    /// Mean latent new-scale area scores at a municipality's first round.
    pub first_round_profile: [f64; AREAS],
}

/// All model parameters.
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    pub countries: Vec<CountryModel>,
    /// SD of the municipality effect shared by all areas (points per area).
    pub municipality_sd: f64,
    /// SD of the municipality-and-area effect.
    pub area_sd: f64,
    /// SD of the evaluation noise per area.
    pub noise_sd: f64,
    /// Total gain between consecutive rounds: mean and SD (points of 800).
    pub gain_mean: f64,
    pub gain_sd: f64,
    /// SD of how a round's gain is spread over areas (points per area).
    pub gain_area_sd: f64,
    /// `old` area a from `new` area a.
    pub old_from_new: Vec<Relation>,
    /// `2020` area j from `new` area `map_2020_to_new[j]`.
    pub y2020_from_new: Vec<Relation>,
    /// For each 2020 area (1-based index j-1), the new area it is generated from.
    pub map_2020_to_new: [usize; AREAS],
    /// Chance that a 2010 evaluation is also scored on `old`.
    pub dual_2010: f64,
    /// Chance that a 2020 evaluation is also scored on `new`.
    pub dual_2020: f64,
    /// Chance that a full new-scale evaluation publishes its sub-questions.
    pub subquestions: f64,
    /// Chance of a total-only publication, and of a few-areas publication.
    pub total_only: f64,
    pub some_areas: f64,
    /// Share of histories with 1, 2, 3, 4 rounds.
    pub rounds_weights: [f64; 4],
}

impl Model {
    pub fn calibrated(countries: &[String]) -> Model {
        let slopes = [0.85, 0.9, 0.95, 0.9, 0.85, 0.95, 0.9, 0.85];
        let old_from_new = (0..AREAS)
            .map(|a| Relation {
                slope: slopes[a],
                intercept: OSTERSUND_OLD[a] - slopes[a] * OSTERSUND_NEW[a],
                noise_sd: 1.0,
            })
            .collect();
        let y2020_offsets = [-4.0, 2.0, -3.0, -5.0, 3.0, 0.0, 2.0, -2.0];
        let y2020_from_new = y2020_offsets
            .iter()
            .map(|&intercept| Relation {
                slope: 1.0,
                intercept,
                noise_sd: 1.5,
            })
            .collect();
        let countries = countries
            .iter()
            .map(|c| {
                // Sweden starts below the seed's average profile and reaches
                // it through the rounds; Norway runs much lower (published
                // average just under 350), Denmark in between (no figures).
                let (level, weight) = match c.as_str() {
                    country::SWEDEN => (0.0, 0.6),
                    country::NORWAY => (-18.0, 0.3),
                    _ => (-8.0, 0.1),
                };
                let mut profile = SEED_PROFILE;
                for p in &mut profile {
                    *p += level - 4.0;
                }
                CountryModel {
                    country: c.clone(),
                    weight,
                    first_round_profile: profile,
                }
            })
            .collect();
        Model {
            countries,
            municipality_sd: 3.0,
            area_sd: 4.0,
            noise_sd: 3.0,
            gain_mean: 55.0,
            gain_sd: 12.0,
            gain_area_sd: 2.0,
            old_from_new,
            y2020_from_new,
            map_2020_to_new: [0, 7, 2, 4, 1, 6, 5, 3],
            dual_2010: 0.5,
            dual_2020: 0.3,
            subquestions: 0.75,
            total_only: 0.04,
            some_areas: 0.04,
            rounds_weights: [0.3, 0.35, 0.25, 0.1],
        }
    }
}

/// One municipality's latent state as its history unfolds.
pub struct Latent {
    /// Expected new-scale area scores at the current round.
    pub level: [f64; AREAS],
}

impl Latent {
    pub fn first(model: &Model, country: usize, rng: &mut Rng) -> Latent {
        let shared = rng.gauss(0.0, model.municipality_sd);
        let profile = &model.countries[country].first_round_profile;
        let level = std::array::from_fn(|a| profile[a] + shared + rng.gauss(0.0, model.area_sd));
        Latent { level }
    }

    /// Moves to the next round; returns the total gain drawn.
    pub fn advance(&mut self, model: &Model, rng: &mut Rng) -> f64 {
        let gain = rng.gauss(model.gain_mean, model.gain_sd).clamp(10.0, 120.0);
        for l in &mut self.level {
            *l += gain / AREAS as f64 + rng.gauss(0.0, model.gain_area_sd);
        }
        gain
    }

    /// Unrounded new-scale area scores of one evaluation.
    pub fn observe(&self, model: &Model, rng: &mut Rng) -> [f64; AREAS] {
        std::array::from_fn(|a| (self.level[a] + rng.gauss(0.0, model.noise_sd)).clamp(0.0, 100.0))
    }
}

/// Applies a relation to new-scale area scores.
pub fn relate(rel: &Relation, new: f64, rng: &mut Rng) -> f64 {
    (rel.intercept + rel.slope * new + rng.gauss(0.0, rel.noise_sd)).clamp(0.0, 100.0)
}

/// Rounds to the scale's resolution (1 point, or halves).
pub fn round_to(x: f64, resolution: f64) -> f64 {
    (x / resolution).round() * resolution
}

/// Splits an unrounded area score over its sub-questions (maxima `maxes`,
/// adding up to the area's max): each near the area's percentage, within
/// its max, summing exactly to `area`.
pub fn split(area: f64, maxes: &[f64], rng: &mut Rng) -> Vec<f64> {
    let total_max: f64 = maxes.iter().sum();
    let share = area / total_max;
    let mut q: Vec<f64> = maxes
        .iter()
        .map(|m| m * (share + rng.gauss(0.0, 0.12)).clamp(0.0, 1.0))
        .collect();
    let diff = area - q.iter().sum::<f64>();
    let room: Vec<f64> = q
        .iter()
        .zip(maxes)
        .map(|(v, m)| if diff > 0.0 { m - v } else { *v })
        .collect();
    let room_sum: f64 = room.iter().sum();
    if room_sum > 0.0 {
        for (v, r) in q.iter_mut().zip(&room) {
            *v += diff * r / room_sum;
        }
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Östersund constants against the seed's Table 1, summed by hand:
    /// the new-scale areas add up to 548 (the published total, 547, was
    /// rounded on its own: 1 point off, within the 4.5 that rounding of nine
    /// figures allows), the old-scale areas to the published 614,5.
    #[test]
    fn ostersund_areas_add_up_to_the_seed_totals() {
        assert_eq!(OSTERSUND_NEW.iter().sum::<f64>(), 548.0);
        assert_eq!(OSTERSUND_OLD.iter().sum::<f64>(), 614.5);
        assert!(crate::validate::within_rounding(547.0, 548.0, 8));
    }

    #[test]
    fn split_sums_and_bounds() {
        let mut rng = Rng::new(3);
        let maxes = [15.0, 20.0, 25.0, 30.0, 10.0];
        for area in [0.0, 3.3, 50.0, 97.2, 100.0] {
            let q = split(area, &maxes, &mut rng);
            assert!((q.iter().sum::<f64>() - area).abs() < 1e-9);
            assert!(
                q.iter()
                    .zip(&maxes)
                    .all(|(v, m)| *v >= -1e-9 && *v <= m + 1e-9)
            );
        }
    }
}
