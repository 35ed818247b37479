//! RECIST best overall response categories and the spellings accepted for them.
//!
//! ORR counts CR and PR as responders; DCR counts CR, PR and SD as disease control (RECIST 1.1,
//! Eisenhauer et al. 2009). No statistic is computed here: this module only reads labels.
//!
//! [`parse_response`] trims the text, drops trailing punctuation (`.,;:!?`), ignores case and
//! treats spaces, hyphens and underscores alike (so "Stable disease", "stable-disease" and
//! "STABLE_DISEASE." are one value). It accepts:
//!
//! | category | accepted |
//! |---|---|
//! | CR | CR, complete response, complete, complete remission, iCR |
//! | PR | PR, partial response, partial, partial remission, iPR |
//! | SD | SD, stable disease, stable, iSD, non-CR/non-PD |
//! | PD | PD, progressive disease, progression, progressive, disease progression, iUPD, iCPD |
//! | NE | NE, not evaluable, non-evaluable, unevaluable, inevaluable, not evaluated, not assessable, not assessed, UE, iNE |
//!
//! and a category with its spelled-out name in parentheses, either way round: "CR (complete
//! response)", "Partial response (PR)"; both parts must name the same category.
//!
//! Choices worth knowing:
//! * **non-CR/non-PD** (RECIST for patients with non-target disease only) is read as SD: it
//!   counts towards disease control and not towards response, which is how RECIST 1.1 tabulates it.
//! * **iUPD** (iRECIST unconfirmed progression) is read as PD, like iCPD: as a best overall
//!   response it is neither a response nor disease control.
//! * **NA** is not accepted: it is a missing-value code, and the caller treats missing cells
//!   apart (they are excluded, not counted as NE). Numeric codes are not accepted either, since
//!   their meaning varies between studies.
//!
//! Anything else gives `None`, and the caller reports the row and the value.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A RECIST best overall response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Response {
    /// Complete response.
    CR,
    /// Partial response.
    PR,
    /// Stable disease.
    SD,
    /// Progressive disease.
    PD,
    /// Not evaluable.
    NE,
}

impl Response {
    /// The categories in RECIST order.
    pub const ALL: [Response; 5] = [
        Response::CR,
        Response::PR,
        Response::SD,
        Response::PD,
        Response::NE,
    ];

    /// The abbreviation, "CR" … "NE".
    pub fn as_str(self) -> &'static str {
        match self {
            Response::CR => "CR",
            Response::PR => "PR",
            Response::SD => "SD",
            Response::PD => "PD",
            Response::NE => "NE",
        }
    }

    /// Counts towards the objective response rate (CR or PR).
    ///
    /// # Examples
    /// ```
    /// use survcalc::response::label::Response;
    /// assert!(Response::PR.is_responder());
    /// assert!(!Response::SD.is_responder());
    /// ```
    pub fn is_responder(self) -> bool {
        matches!(self, Response::CR | Response::PR)
    }

    /// Counts towards the disease control rate (CR, PR or SD).
    ///
    /// # Examples
    /// ```
    /// use survcalc::response::label::Response;
    /// assert!(Response::SD.is_disease_control());
    /// assert!(!Response::NE.is_disease_control());
    /// ```
    pub fn is_disease_control(self) -> bool {
        matches!(self, Response::CR | Response::PR | Response::SD)
    }
}

impl fmt::Display for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Reads a best-response label; see the module documentation for the accepted spellings.
///
/// # Errors
/// `None` when the text is not a recognised category (including empty text and "NA").
///
/// # Examples
/// ```
/// use survcalc::response::label::{parse_response, Response};
/// assert_eq!(parse_response(" Partial response. "), Some(Response::PR));
/// assert_eq!(parse_response("CR (complete response)"), Some(Response::CR));
/// assert_eq!(parse_response("non-evaluable"), Some(Response::NE));
/// assert_eq!(parse_response("NA"), None);
/// ```
pub fn parse_response(text: &str) -> Option<Response> {
    let text = trim(text);
    if let Some(open) = text.find('(') {
        let inner = text[open + 1..].strip_suffix(')')?;
        let outer = parse_plain(trim(&text[..open]))?;
        return (parse_plain(trim(inner))? == outer).then_some(outer);
    }
    parse_plain(text)
}

fn trim(text: &str) -> &str {
    text.trim()
        .trim_end_matches(['.', ',', ';', ':', '!', '?'])
        .trim_end()
}

fn parse_plain(text: &str) -> Option<Response> {
    let key: String = text
        .chars()
        .filter(|c| !(c.is_whitespace() || *c == '-' || *c == '_'))
        .flat_map(char::to_lowercase)
        .collect();
    let r = match key.as_str() {
        "cr" | "completeresponse" | "complete" | "completeremission" | "icr" => Response::CR,
        "pr" | "partialresponse" | "partial" | "partialremission" | "ipr" => Response::PR,
        "sd" | "stabledisease" | "stable" | "isd" | "noncr/nonpd" => Response::SD,
        "pd" | "progressivedisease" | "progression" | "progressive" | "diseaseprogression"
        | "iupd" | "icpd" => Response::PD,
        "ne" | "notevaluable" | "nonevaluable" | "unevaluable" | "inevaluable" | "notevaluated"
        | "notassessable" | "notassessed" | "ue" | "ine" => Response::NE,
        _ => return None,
    };
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_spellings() {
        let cases = [
            ("CR", Response::CR),
            ("cr", Response::CR),
            ("Complete Response", Response::CR),
            ("complete", Response::CR),
            ("CR (complete response)", Response::CR),
            ("Complete response (CR)", Response::CR),
            ("iCR", Response::CR),
            ("PR", Response::PR),
            ("partial response", Response::PR),
            ("Partial", Response::PR),
            ("SD", Response::SD),
            ("stable disease", Response::SD),
            ("Stable", Response::SD),
            ("non-CR/non-PD", Response::SD),
            ("PD", Response::PD),
            ("Progressive disease", Response::PD),
            ("progression", Response::PD),
            ("progressive", Response::PD),
            ("iUPD", Response::PD),
            ("iCPD", Response::PD),
            ("NE", Response::NE),
            ("Not evaluable", Response::NE),
            ("non-evaluable", Response::NE),
            ("Non evaluable", Response::NE),
            ("not evaluated", Response::NE),
            ("unevaluable", Response::NE),
            ("UE", Response::NE),
            ("  sd.  ", Response::SD),
            ("PD;", Response::PD),
            ("STABLE_DISEASE", Response::SD),
        ];
        for (text, want) in cases {
            assert_eq!(parse_response(text), Some(want), "{text:?}");
        }
    }

    #[test]
    fn rejected() {
        for text in [
            "",
            "NA",
            "N/A",
            ".",
            "1",
            "response",
            "CR (partial response)",
            "CR (",
            "CRR",
            "missing",
            "SD (",
            "(CR)",
        ] {
            assert_eq!(parse_response(text), None, "{text:?}");
        }
    }

    #[test]
    fn serde_names() {
        let json = serde_json::to_string(&Response::ALL).unwrap_or_default();
        assert_eq!(json, r#"["CR","PR","SD","PD","NE"]"#);
    }
}
