//! Chart text in Swedish (default) or English.

use clap::ValueEnum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Lang {
    /// Svenska.
    #[default]
    Sv,
    /// English.
    En,
}

/// The words charts use.
#[derive(Debug, Clone, Copy)]
pub struct Labels {
    pub lang: Lang,
}

impl Labels {
    pub fn pick(&self, sv: &'static str, en: &'static str) -> &'static str {
        match self.lang {
            Lang::Sv => sv,
            Lang::En => en,
        }
    }

    pub fn national_average(&self) -> &'static str {
        self.pick("Medel kommuner", "National average")
    }

    pub fn percent_of_max(&self) -> &'static str {
        self.pick("Procent av max", "Percent of max")
    }

    pub fn points(&self) -> &'static str {
        self.pick("Poäng", "Points")
    }

    pub fn area(&self) -> &'static str {
        self.pick("Område", "Area")
    }

    pub fn year(&self) -> &'static str {
        self.pick("Utvärderingsår", "Evaluation year")
    }

    pub fn basis(&self, latest: bool) -> &'static str {
        match (latest, self.lang) {
            (true, Lang::Sv) => "senaste per kommun",
            (false, Lang::Sv) => "alla utvärderingar",
            (true, Lang::En) => "latest per municipality",
            (false, Lang::En) => "all evaluations",
        }
    }

    /// "Källa: kompass, 128 utvärderingar, senaste per kommun".
    pub fn caption(&self, n: u64, latest: bool) -> String {
        match self.lang {
            Lang::Sv => format!("Källa: kompass, {n} utvärderingar, {}", self.basis(latest)),
            Lang::En => format!("Source: kompass, {n} evaluations, {}", self.basis(latest)),
        }
    }
}
