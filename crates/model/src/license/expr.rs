//! Expression semantics: what an SPDX expression as a whole means for its user.
//!
//! `OR` is a choice: the option the policy prefers is taken, and the reasons say which and
//! why. `AND` adds the terms of both sides: the most restrictive category, the widest
//! copyleft, every obligation. `WITH` applies the exception to its license (a linking
//! exception turns GPL into weak copyleft). This module reads the license database and asks
//! a [`Judge`] for decisions; it never looks at components or files.

use crate::license::db::{self, Category, Copyleft, Obligation};
use crate::model::Decision;
use std::collections::BTreeSet;

/// One license term of an expression (`GPL-2.0-only WITH Classpath-exception-2.0`).
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// The term as written canonically, with its exception.
    pub text: String,
    /// The license id (`Apache-2.0+` keeps its `+`), without the exception.
    pub license: String,
    pub exception: Option<String>,
    /// False when the license (or exception) is not in the database.
    pub known: bool,
    pub category: Category,
    pub open_source: bool,
    pub copyleft: Copyleft,
    pub obligations: BTreeSet<Obligation>,
    /// What applying the exception changed, or why the term is unknown.
    pub notes: Vec<String>,
}

/// A decision on one term, and the rule that made it.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    pub decision: Decision,
    pub rule: String,
}

/// Decides on single terms: the policy, or the built-in default.
pub trait Judge {
    fn judge(&self, term: &Term) -> Judgement;
}

/// Without a policy: unknown and proprietary go to review, nothing is denied.
pub struct DefaultJudge;

impl Judge for DefaultJudge {
    fn judge(&self, term: &Term) -> Judgement {
        default_judgement(term.category)
    }
}

/// The built-in default for a category.
pub fn default_judgement(category: Category) -> Judgement {
    match category {
        Category::Unknown | Category::Proprietary | Category::Commercial => {
            Judgement { decision: Decision::Review, rule: format!("default: {category} goes to review") }
        }
        _ => Judgement { decision: Decision::Allow, rule: "default: allow".into() },
    }
}

/// The meaning of a whole expression once every `OR` has been decided.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The expression as evaluated.
    pub expression: String,
    /// The license terms that apply after the choices (joined with ` AND `).
    pub chosen: String,
    pub terms: Vec<Term>,
    pub category: Category,
    pub open_source: bool,
    pub copyleft: Copyleft,
    pub obligations: BTreeSet<Obligation>,
    pub decision: Decision,
    pub rule: String,
    /// The term whose judgement decided (the worst one).
    pub deciding_term: String,
    /// One line per `OR`: what was chosen and why.
    pub choices: Vec<String>,
}

impl Verdict {
    /// Notes of the terms (exceptions applied, terms not in the database).
    pub fn notes(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in &self.terms {
            for n in &t.notes {
                if !out.contains(n) {
                    out.push(n.clone());
                }
            }
        }
        out
    }
}

/// The most license terms an expression may have. Real declarations have a handful; a
/// longer one is refused so that evaluating it stays cheap (each `OR` records a choice
/// that quotes its operands).
pub const MAX_TERMS: usize = 512;

/// Evaluate an SPDX expression (as printed by `license::normalize_expression`).
///
/// The expression is folded from its postfix form with an explicit stack, so nesting depth
/// never reaches the call stack; more than [`MAX_TERMS`] terms are an error.
pub fn evaluate(expression: &str, judge: &dyn Judge) -> Result<Verdict, String> {
    let parsed = spdx::Expression::parse_mode(expression, spdx::ParseMode::LAX)
        .map_err(|e| format!("`{}` is not an SPDX expression: {e}", shorten(expression)))?;
    let leaves: Vec<Term> = parsed
        .iter()
        .filter_map(|node| match node {
            spdx::expression::ExprNode::Req(r) => Some(term(&r.req)),
            spdx::expression::ExprNode::Op(_) => None,
        })
        .collect();
    if leaves.len() > MAX_TERMS {
        return Err(format!(
            "`{}`: the expression has {} license terms, more than the {MAX_TERMS} kataster evaluates",
            shorten(expression),
            leaves.len()
        ));
    }
    let mut next = leaves.iter();
    let mut stack: Vec<Partial> = Vec::new();
    for node in parsed.iter() {
        match node {
            spdx::expression::ExprNode::Req(_) => {
                let Some(t) = next.next() else { return Err(format!("`{expression}`: malformed expression")) };
                stack.push(leaf(t, judge));
            }
            spdx::expression::ExprNode::Op(op) => {
                let (Some(b), Some(a)) = (stack.pop(), stack.pop()) else {
                    return Err(format!("`{expression}`: malformed expression"));
                };
                stack.push(match op {
                    spdx::expression::Operator::And => and(a, b),
                    spdx::expression::Operator::Or => or(a, b),
                });
            }
        }
    }
    let (Some(p), true) = (stack.pop(), stack.is_empty()) else {
        return Err(format!("`{expression}`: malformed expression"));
    };
    let mut texts: Vec<&str> = Vec::new();
    let mut terms: Vec<Term> = Vec::new();
    for t in p.terms {
        if !texts.contains(&t.text.as_str()) {
            texts.push(&t.text);
        }
        if !terms.iter().any(|x| x.text == t.text) {
            terms.push(t.clone());
        }
    }
    let chosen = texts.join(" AND ");
    Ok(Verdict {
        expression: p.text,
        chosen,
        terms,
        category: p.category,
        open_source: p.open_source,
        copyleft: p.copyleft,
        obligations: p.obligations,
        decision: p.decision,
        rule: p.rule,
        deciding_term: p.deciding,
        choices: p.choices,
    })
}

/// An expression quoted in a message: its first 200 characters.
fn shorten(expression: &str) -> std::borrow::Cow<'_, str> {
    match expression.char_indices().nth(200) {
        Some((i, _)) => format!("{}...", &expression[..i]).into(),
        None => expression.into(),
    }
}

struct Partial<'a> {
    text: String,
    is_or: bool,
    terms: Vec<&'a Term>,
    category: Category,
    open_source: bool,
    copyleft: Copyleft,
    obligations: BTreeSet<Obligation>,
    decision: Decision,
    rule: String,
    deciding: String,
    choices: Vec<String>,
}

impl Partial<'_> {
    fn chosen_text(&self) -> String {
        let mut t: Vec<&str> = Vec::new();
        for x in &self.terms {
            if !t.contains(&x.text.as_str()) {
                t.push(&x.text);
            }
        }
        t.join(" AND ")
    }

    /// Lower is better: the policy's decision first, then the freer category, open source,
    /// fewer obligations.
    fn preference(&self) -> (Decision, u8, bool, usize) {
        (self.decision, self.category.rank(), !self.open_source, self.obligations.len())
    }
}

fn leaf<'a>(t: &'a Term, judge: &dyn Judge) -> Partial<'a> {
    let j = judge.judge(t);
    Partial {
        text: t.text.clone(),
        is_or: false,
        terms: vec![t],
        category: t.category,
        open_source: t.open_source,
        copyleft: t.copyleft,
        obligations: t.obligations.clone(),
        decision: j.decision,
        rule: j.rule,
        deciding: t.text.clone(),
        choices: Vec::new(),
    }
}

fn and<'a>(a: Partial<'a>, b: Partial<'a>) -> Partial<'a> {
    let wrap = |p: &Partial| if p.is_or { format!("({})", p.text) } else { p.text.clone() };
    let text = format!("{} AND {}", wrap(&a), wrap(&b));
    let (decision, rule, deciding) = if b.decision > a.decision {
        (b.decision, b.rule.clone(), b.deciding.clone())
    } else {
        (a.decision, a.rule.clone(), a.deciding.clone())
    };
    let mut choices = a.choices;
    choices.extend(b.choices);
    let mut terms = a.terms;
    terms.extend(b.terms);
    let mut obligations = a.obligations;
    obligations.extend(b.obligations);
    Partial {
        text,
        is_or: false,
        terms,
        category: a.category.max(b.category),
        open_source: a.open_source && b.open_source,
        copyleft: a.copyleft.max(b.copyleft),
        obligations,
        decision,
        rule,
        deciding,
        choices,
    }
}

fn or<'a>(a: Partial<'a>, b: Partial<'a>) -> Partial<'a> {
    let text = format!("{} OR {}", a.text, b.text);
    let (mut win, lose) = if b.preference() < a.preference() { (b, a) } else { (a, b) };
    let why = if win.decision != lose.decision {
        format!(
            "{} by the policy ({}), the other is {} ({})",
            word(win.decision),
            win.rule,
            word(lose.decision),
            lose.rule
        )
    } else if win.category != lose.category {
        format!("{} rather than {}", win.category, lose.category)
    } else if win.open_source != lose.open_source {
        "open source rather than not".to_string()
    } else if win.obligations.len() != lose.obligations.len() {
        format!("fewer obligations ({} rather than {})", win.obligations.len(), lose.obligations.len())
    } else {
        "equivalent; the first option".to_string()
    };
    let line = format!("`{text}`: chose {} over {} ({why})", win.chosen_text(), lose.chosen_text());
    win.choices.push(line);
    win.text = text;
    win.is_or = true;
    win
}

fn word(d: Decision) -> &'static str {
    match d {
        Decision::Allow => "allowed",
        Decision::Review => "sent to review",
        Decision::Deny => "denied",
    }
}

/// The database's view of one license term, with its exception applied.
pub fn term(req: &spdx::LicenseReq) -> Term {
    let (license, lookup) = match &req.license {
        spdx::LicenseItem::Spdx { id, or_later } => {
            let written = if *or_later { format!("{}+", id.name) } else { id.name.to_string() };
            let canon = crate::license::canonical_id(&written).unwrap_or(written);
            let lookup = canon.trim_end_matches('+').to_string();
            (canon, lookup)
        }
        spdx::LicenseItem::Other(r) => {
            let text = r.to_string();
            (text.clone(), text)
        }
    };
    let exception = req.addition.as_ref().map(|a| match a {
        spdx::AdditionItem::Spdx(e) => e.name.to_string(),
        spdx::AdditionItem::Other(r) => r.to_string(),
    });
    let text = match &exception {
        Some(e) => format!("{license} WITH {e}"),
        None => license.clone(),
    };
    let db = db::db();
    let mut t = match db.license(&lookup) {
        Some(e) => Term {
            text,
            license,
            exception: exception.clone(),
            known: true,
            category: e.category,
            open_source: e.open_source,
            copyleft: e.copyleft,
            obligations: e.obligations.iter().copied().collect(),
            notes: Vec::new(),
        },
        None => Term {
            text,
            license: license.clone(),
            exception: exception.clone(),
            known: false,
            category: Category::Unknown,
            open_source: false,
            copyleft: Copyleft::None,
            obligations: BTreeSet::new(),
            notes: vec![format!("{license} is not in the license database: unknown")],
        },
    };
    if let Some(e) = &exception {
        apply_exception(&mut t, e);
    }
    t
}

fn apply_exception(t: &mut Term, exception: &str) {
    let Some(x) = db::db().exception(exception) else {
        t.known = false;
        t.notes.push(format!("exception {exception} is not in the license database; the license applies unchanged"));
        return;
    };
    if let Some(limit) = x.limits_copyleft_to
        && t.copyleft > limit
    {
        let before = t.copyleft;
        t.copyleft = limit;
        t.obligations.remove(&Obligation::DiscloseSourceWholeWork);
        t.obligations.remove(&Obligation::NetworkUseSourceOffer);
        match limit {
            Copyleft::Library => {
                t.obligations.insert(Obligation::DiscloseSourceLibrary);
            }
            Copyleft::File => {
                t.obligations.insert(Obligation::DiscloseSourceFile);
            }
            _ => {}
        }
        if matches!(t.category, Category::StrongCopyleft | Category::NetworkCopyleft) {
            t.category = Category::WeakCopyleft;
        }
        t.notes.push(format!(
            "{} WITH {exception}: the exception limits the copyleft from {} to {} ({})",
            t.license,
            before.as_str(),
            limit.as_str(),
            t.category
        ));
    }
    for o in &x.removes {
        t.obligations.remove(o);
    }
    t.obligations.extend(x.adds.iter().copied());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(e: &str) -> Verdict {
        evaluate(e, &DefaultJudge).unwrap()
    }

    #[test]
    fn or_takes_the_freer_option_and_says_why() {
        let v = eval("GPL-2.0-only OR MIT");
        assert_eq!(v.chosen, "MIT");
        assert_eq!(v.category, Category::Permissive);
        assert!(v.open_source);
        assert_eq!(v.choices.len(), 1);
        assert!(v.choices[0].contains("chose MIT over GPL-2.0-only"), "{:?}", v.choices);
        assert!(v.choices[0].contains("permissive rather than strong-copyleft"), "{:?}", v.choices);
        // Order does not matter.
        assert_eq!(eval("MIT OR GPL-2.0-only").chosen, "MIT");
    }

    #[test]
    fn and_adds_the_obligations_of_both() {
        let v = eval("MIT AND Apache-2.0");
        assert_eq!(v.chosen, "MIT AND Apache-2.0");
        assert!(v.obligations.contains(&Obligation::IncludeNotice));
        assert!(v.obligations.contains(&Obligation::PatentGrant));
        assert!(v.obligations.contains(&Obligation::Attribution));
        let v = eval("MIT AND GPL-3.0-only");
        assert_eq!(v.category, Category::StrongCopyleft);
        assert_eq!(v.copyleft, Copyleft::WholeWork);
        assert!(v.obligations.contains(&Obligation::DiscloseSourceWholeWork));
    }

    #[test]
    fn and_with_unknown_is_unknown_and_not_open_source() {
        let v = eval("MIT AND LicenseRef-foo");
        assert_eq!(v.category, Category::Unknown);
        assert!(!v.open_source);
        assert_eq!(v.decision, Decision::Review);
        assert_eq!(v.deciding_term, "LicenseRef-foo");
        assert!(v.notes().iter().any(|n| n.contains("not in the license database")));
    }

    #[test]
    fn with_classpath_exception_is_weak_copyleft() {
        let v = eval("GPL-2.0-only WITH Classpath-exception-2.0");
        assert_eq!(v.category, Category::WeakCopyleft);
        assert_eq!(v.copyleft, Copyleft::Library);
        assert!(!v.obligations.contains(&Obligation::DiscloseSourceWholeWork));
        assert!(v.obligations.contains(&Obligation::DiscloseSourceLibrary));
        assert!(v.open_source);
        assert!(v.notes()[0].contains("limits the copyleft from whole-work to library"), "{:?}", v.notes());
        // An exception that does not touch copyleft leaves the license as it is.
        let v = eval("Apache-2.0 WITH LLVM-exception");
        assert_eq!(v.category, Category::Permissive);
    }

    #[test]
    fn nested_choices_under_and() {
        let v = eval("(MIT OR Apache-2.0) AND (GPL-3.0-only OR LGPL-3.0-only)");
        assert_eq!(v.chosen, "MIT AND LGPL-3.0-only");
        assert_eq!(v.category, Category::WeakCopyleft);
        assert_eq!(v.choices.len(), 2);
        assert_eq!(v.expression, "(MIT OR Apache-2.0) AND (GPL-3.0-only OR LGPL-3.0-only)");
    }

    #[test]
    fn or_later_and_deprecated_ids_find_their_entry() {
        assert_eq!(eval("GPL-2.0+").category, Category::StrongCopyleft);
        assert_eq!(eval("GPL-2.0+").chosen, "GPL-2.0-or-later");
        assert_eq!(eval("Apache-2.0+").category, Category::Permissive);
    }

    #[test]
    fn a_judge_steers_the_choice() {
        struct DenyMit;
        impl Judge for DenyMit {
            fn judge(&self, t: &Term) -> Judgement {
                if t.license == "MIT" {
                    Judgement { decision: Decision::Deny, rule: "deny MIT".into() }
                } else {
                    Judgement { decision: Decision::Allow, rule: "allow".into() }
                }
            }
        }
        let v = evaluate("MIT OR GPL-2.0-only", &DenyMit).unwrap();
        assert_eq!(v.chosen, "GPL-2.0-only");
        assert_eq!(v.decision, Decision::Allow);
        assert!(v.choices[0].contains("allowed by the policy"), "{:?}", v.choices);
        let v = evaluate("MIT AND GPL-2.0-only", &DenyMit).unwrap();
        assert_eq!(v.decision, Decision::Deny);
        assert_eq!(v.rule, "deny MIT");
    }

    #[test]
    fn source_available_and_proprietary_are_not_open_source() {
        for e in
            ["BUSL-1.1", "SSPL-1.0", "Elastic-2.0", "LicenseRef-kataster-commons-clause", "LicenseRef-kataster-eula"]
        {
            let v = eval(e);
            assert!(!v.open_source, "{e}");
        }
        let v = eval("BUSL-1.1");
        assert!(v.obligations.contains(&Obligation::ChangeDate) && v.obligations.contains(&Obligation::ChangeLicense));
        assert_eq!(eval("Apache-2.0 AND LicenseRef-kataster-commons-clause").category, Category::SourceAvailable);
    }

    #[test]
    fn thousands_of_terms_are_refused_without_exhausting_the_stack() {
        let ors = vec!["MIT"; 5000].join(" OR ");
        let e = evaluate(&ors, &DefaultJudge).unwrap_err();
        assert!(e.contains("5000 license terms, more than the 512"), "{e}");
        assert!(e.len() < 400, "the message quotes the whole expression: {} bytes", e.len());
        let nested = format!("{}MIT{}", "(MIT OR ".repeat(4000), ")".repeat(4000));
        assert!(evaluate(&nested, &DefaultJudge).unwrap_err().contains("4001 license terms"));
        // Up to the limit, as deep as it gets: evaluated.
        let deep = format!("{}MIT{}", "(Apache-2.0 AND ".repeat(MAX_TERMS - 1), ")".repeat(MAX_TERMS - 1));
        let v = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || evaluate(&deep, &DefaultJudge).unwrap())
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(v.chosen, "Apache-2.0 AND MIT");
        assert_eq!(v.terms.len(), 2);
    }

    #[test]
    fn a_multibyte_character_at_a_prefix_boundary_is_no_panic() {
        // Found by the `expression` fuzz target (fuzz/regressions/expression/).
        let raw = "GPL-2.0-or\u{4CB}GPL-2.0-or-latater";
        assert_eq!(crate::license::normalize_expression(raw), None);
        assert_eq!(crate::license::DeclaredLicense::from_raw(raw).raw, raw);
        assert!(evaluate(raw, &DefaultJudge).is_err());
    }
}
