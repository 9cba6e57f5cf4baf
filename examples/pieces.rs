fn main() {
    let c = wsis_search::corpus::Corpus::load(std::path::Path::new("corpus")).unwrap();
    let names = wsis_search::corpus::DocNames::new(c.official_documents());
    for d in &c.documents {
        let pieces = wsis_search::split::split(d);
        let ex = wsis_search::quote::extract(d, &pieces, &names);
        for (p, refs) in pieces.iter().zip(&ex.refs) {
            for r in refs {
                println!(
                    "REF {} {} -> {} {} ({})",
                    d.meta.id, p.label, r.doc, r.para, r.written
                );
            }
        }
        for q in &ex.quotes {
            let t: Vec<&str> = q.spans.iter().map(|(s, e)| &d.text[*s..*e]).collect();
            println!(
                "QUOTE {} {} partial={} L{:?} {:.100}",
                q.doc,
                q.label,
                q.partial,
                q.lines,
                t.join(" ")
            );
        }
        for w in &ex.warnings {
            println!("WARN {}:{} {}", w.file, w.line, w.message);
        }
    }
}
