// Reasons over one or more ontology files with HermiT and explains what goes wrong, using only the
// OWL API and the explanation library bundled in owlready2's HermiT.jar (nothing else is installed).
//
// Usage: java -cp <dir>:HermiT.jar Explain [--max N] [--no-hierarchy] [--profile] [--no-reason] FILE...
// Output (UTF-8, one record per line, fields separated by TAB; tabs/newlines in text become spaces):
//   FILE       <path> <n axioms>
//   PROFILE    <OWL 2 DL profile violation of the merged ontology>      (with --profile)
//   PROFILE_COUNT <n>                                                    (with --profile)
//   REASONER_ERROR <message>   (HermiT refused the input, e.g. outside OWL 2 DL)
//   CONSISTENT true|false
//   UNSAT      <class IRI> <label>
//   INFERRED   <class IRI> <label> <superclass IRI> <label>   (inferred direct superclass, not asserted)
//   EQUIV      <class IRI> <label> <class IRI> <label>        (inferred equivalence, not asserted)
//   JUSTIFICATION <target IRI or "inconsistency"> <label> <number of axioms>
//   AXIOM      <target> <axiom in words> <sources, " | "-joined> <file it came from> <functional syntax>
//   JUSTIFICATION_ERROR <class IRI> <message>   (the explanation of that class failed)
//   DONE       <milliseconds>
import java.io.File;
import java.io.PrintStream;
import java.util.*;

import org.semanticweb.HermiT.Reasoner;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.model.*;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.reasoner.InferenceType;
import org.semanticweb.owlapi.reasoner.OWLReasoner;
import org.semanticweb.owlapi.reasoner.OWLReasonerFactory;
import com.clarkparsia.owlapi.explanation.BlackBoxExplanation;
import com.clarkparsia.owlapi.explanation.HSTExplanationGenerator;
import uk.ac.manchester.cs.owlapi.modularity.ModuleType;
import uk.ac.manchester.cs.owlapi.modularity.SyntacticLocalityModuleExtractor;

public class Explain {
    static final String SOURCE = "http://www.geneontology.org/formats/oboInOwl#source";
    static final Map<IRI, String> labels = new HashMap<>();
    static final Map<OWLAxiom, List<OWLAxiom>> annotated = new HashMap<>();
    static final Map<OWLAxiom, String> origin = new HashMap<>();
    static PrintStream out;

    public static void main(String[] args) throws Exception {
        long start = System.currentTimeMillis();
        out = new PrintStream(System.out, true, "UTF-8");
        int max = 20;
        boolean hierarchy = true, profile = false, reason = true;
        List<String> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--max")) max = Integer.parseInt(args[++i]);
            else if (args[i].equals("--no-hierarchy")) hierarchy = false;
            else if (args[i].equals("--profile")) profile = true;
            else if (args[i].equals("--no-reason")) reason = false;
            else files.add(args[i]);
        }
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
            .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT);
        Set<OWLAxiom> all = new HashSet<>();
        for (String f : files) {
            // A separate manager per file: two files may declare the same ontology IRI.
            OWLOntologyManager m = OWLManager.createOWLOntologyManager();
            OWLOntology o = m.loadOntologyFromOntologyDocument(new FileDocumentSource(new File(f)), config);
            String name = new File(f).getName();
            for (OWLAxiom ax : o.getAxioms()) {
                all.add(ax);
                OWLAxiom bare = ax.getAxiomWithoutAnnotations();
                annotated.computeIfAbsent(bare, k -> new ArrayList<>()).add(ax);
                origin.putIfAbsent(bare, name);
                if (ax instanceof OWLAnnotationAssertionAxiom) {
                    OWLAnnotationAssertionAxiom a = (OWLAnnotationAssertionAxiom) ax;
                    if (a.getProperty().isLabel() && a.getSubject() instanceof IRI
                            && a.getValue() instanceof OWLLiteral) {
                        labels.putIfAbsent((IRI) a.getSubject(), ((OWLLiteral) a.getValue()).getLiteral());
                    }
                }
            }
            out.println("FILE\t" + clean(f) + "\t" + o.getLogicalAxiomCount());
        }
        OWLOntology merged = manager.createOntology(IRI.create("urn:dgs-kg:check"));
        manager.addAxioms(merged, all);
        if (profile) {
            OWLProfileReport report = new OWL2DLProfile().checkOntology(merged);
            for (OWLProfileViolation v : report.getViolations()) out.println("PROFILE\t" + clean(v.toString()));
            out.println("PROFILE_COUNT\t" + report.getViolations().size());
        }
        if (reason) {
            try {
                reason(manager, merged, max, hierarchy);
            } catch (RuntimeException e) {
                out.println("REASONER_ERROR\t" + clean(String.valueOf(e.getMessage() == null ? e : e.getMessage())));
            }
        }
        out.println("DONE\t" + (System.currentTimeMillis() - start));
    }

    static void reason(OWLOntologyManager manager, OWLOntology merged, int max, boolean hierarchy)
            throws OWLOntologyCreationException {
        OWLDataFactory df = manager.getOWLDataFactory();
        OWLReasonerFactory factory = new Reasoner.ReasonerFactory();
        OWLReasoner reasoner = factory.createReasoner(merged);
        boolean consistent = reasoner.isConsistent();
        out.println("CONSISTENT\t" + consistent);
        if (!consistent) {
            // BlackBoxExplanation asks HermiT for satisfiability, which HermiT refuses on an
            // inconsistent ontology; so contract the logical axioms ourselves (QuickXplain).
            List<OWLAxiom> logical = new ArrayList<>();
            for (OWLAxiom ax : merged.getLogicalAxioms()) logical.add(ax.getAxiomWithoutAnnotations());
            Collections.sort(logical);
            List<OWLAxiom> just = quickXplain(factory, new ArrayList<OWLAxiom>(), false, logical);
            report("inconsistency", "the ontology is inconsistent", just);
            return;
        }
        reasoner.precomputeInferences(InferenceType.CLASS_HIERARCHY);
        List<OWLClass> unsat = new ArrayList<>(reasoner.getUnsatisfiableClasses().getEntitiesMinusBottom());
        Collections.sort(unsat);
        for (OWLClass c : unsat) out.println("UNSAT\t" + c.getIRI() + "\t" + label(c.getIRI()));
        if (hierarchy) {
            List<OWLClass> classes = new ArrayList<>(merged.getClassesInSignature());
            Collections.sort(classes);
            Set<OWLClass> unsatSet = new HashSet<>(unsat);
            for (OWLClass c : classes) {
                if (c.isOWLThing() || c.isOWLNothing() || unsatSet.contains(c)) continue;
                Set<OWLClassExpression> told = c.getSuperClasses(merged);
                for (OWLClassExpression e : c.getEquivalentClasses(merged)) {
                    told.add(e);
                    if (e instanceof OWLObjectIntersectionOf) told.addAll(((OWLObjectIntersectionOf) e).getOperands());
                }
                List<OWLClass> supers = new ArrayList<>(reasoner.getSuperClasses(c, true).getFlattened());
                Collections.sort(supers);
                for (OWLClass s : supers) {
                    if (s.isOWLThing() || told.contains(s)) continue;
                    out.println("INFERRED\t" + c.getIRI() + "\t" + label(c.getIRI()) + "\t" + s.getIRI() + "\t" + label(s.getIRI()));
                }
                List<OWLClass> eqs = new ArrayList<>(reasoner.getEquivalentClasses(c).getEntitiesMinus(c));
                Collections.sort(eqs);
                for (OWLClass e : eqs) {
                    if (c.compareTo(e) < 0 && !told.contains(e) && !e.getSuperClasses(merged).contains(c)
                            && !e.getEquivalentClasses(merged).contains(c)) {
                        out.println("EQUIV\t" + c.getIRI() + "\t" + label(c.getIRI()) + "\t" + e.getIRI() + "\t" + label(e.getIRI()));
                    }
                }
            }
        }
        reasoner.dispose();
        int n = 0;
        for (OWLClass c : unsat) {
            if (n++ >= max) break;
            // Explain inside the class's locality module: the same justifications, far fewer axioms.
            SyntacticLocalityModuleExtractor extractor =
                new SyntacticLocalityModuleExtractor(manager, merged, ModuleType.STAR);
            Set<OWLAxiom> module = extractor.extract(Collections.<OWLEntity>singleton(c));
            OWLOntologyManager mm = OWLManager.createOWLOntologyManager();
            OWLOntology mod = mm.createOntology(module);
            try {
                explain(mm, mod, factory, c, c.getIRI().toString(), c);
            } catch (RuntimeException e) {
                out.println("JUSTIFICATION_ERROR\t" + c.getIRI() + "\t" + clean(String.valueOf(e)));
            }
        }
    }

    static void explain(OWLOntologyManager manager, OWLOntology ont, OWLReasonerFactory factory,
                        OWLClassExpression target, String name, OWLClass cls) {
        OWLReasoner r = factory.createReasoner(ont);
        BlackBoxExplanation single = new BlackBoxExplanation(ont, factory, r);
        HSTExplanationGenerator gen = new HSTExplanationGenerator(single);
        Set<OWLAxiom> just = gen.getExplanation(target);
        report(name, cls == null ? "the ontology is inconsistent" : label(cls.getIRI()), new ArrayList<>(just));
        r.dispose();
    }

    static int calls = 0;

    static boolean consistent(OWLReasonerFactory factory, List<OWLAxiom> axioms) {
        calls++;
        try {
            OWLOntologyManager m = OWLManager.createOWLOntologyManager();
            OWLOntology o = m.createOntology(new HashSet<OWLAxiom>(axioms));
            OWLReasoner r = factory.createReasoner(o);
            boolean c = r.isConsistent();
            r.dispose();
            return c;
        } catch (OWLOntologyCreationException e) {
            throw new RuntimeException(e);
        }
    }

    // Junker's QuickXplain: a minimal subset of c that, with background b, is inconsistent.
    static List<OWLAxiom> quickXplain(OWLReasonerFactory factory, List<OWLAxiom> b, boolean added, List<OWLAxiom> c) {
        if (added && !consistent(factory, b)) return new ArrayList<>();
        if (c.size() == 1) return new ArrayList<>(c);
        List<OWLAxiom> c1 = new ArrayList<>(c.subList(0, c.size() / 2));
        List<OWLAxiom> c2 = new ArrayList<>(c.subList(c.size() / 2, c.size()));
        List<OWLAxiom> b1 = new ArrayList<>(b);
        b1.addAll(c1);
        List<OWLAxiom> d2 = quickXplain(factory, b1, !c1.isEmpty(), c2);
        List<OWLAxiom> b2 = new ArrayList<>(b);
        b2.addAll(d2);
        List<OWLAxiom> d1 = quickXplain(factory, b2, !d2.isEmpty(), c1);
        d1.addAll(d2);
        return d1;
    }

    static void report(String name, String lab, List<OWLAxiom> just) {
        List<OWLAxiom> sorted = new ArrayList<>(just);
        Collections.sort(sorted);
        out.println("JUSTIFICATION\t" + name + "\t" + lab + "\t" + sorted.size());
        for (OWLAxiom ax : sorted) {
            OWLAxiom bare = ax.getAxiomWithoutAnnotations();
            Set<String> sources = new TreeSet<>();
            for (OWLAxiom a : annotated.getOrDefault(bare, Collections.<OWLAxiom>emptyList())) {
                for (OWLAnnotation an : a.getAnnotations()) {
                    if (an.getProperty().getIRI().toString().equals(SOURCE) && an.getValue() instanceof OWLLiteral) {
                        sources.add(((OWLLiteral) an.getValue()).getLiteral());
                    }
                }
            }
            out.println("AXIOM\t" + name + "\t" + clean(words(bare)) + "\t" + String.join(" | ", sources)
                        + "\t" + origin.getOrDefault(bare, "") + "\t" + clean(bare.toString()));
        }
    }

    static String clean(String s) {
        return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }

    static String label(IRI iri) {
        String l = labels.get(iri);
        if (l != null) return l;
        String s = iri.toString();
        int cut = Math.max(s.lastIndexOf('#'), s.lastIndexOf('/'));
        return cut >= 0 && cut < s.length() - 1 ? s.substring(cut + 1) : s;
    }

    static String q(OWLEntity e) {
        if (e instanceof OWLClass && ((OWLClass) e).isOWLThing()) return "anything";
        if (e instanceof OWLClass && ((OWLClass) e).isOWLNothing()) return "nothing";
        return "'" + label(e.getIRI()) + "'";
    }

    static String prop(OWLPropertyExpression<?, ?> p) {
        if (p instanceof OWLObjectInverseOf) return "inverse of " + prop(((OWLObjectInverseOf) p).getInverse());
        if (p instanceof OWLEntity) return q((OWLEntity) p);
        return p.toString();
    }

    static String ind(OWLIndividual i) {
        return i.isNamed() ? q(i.asOWLNamedIndividual()) : i.toString();
    }

    static String ce(OWLClassExpression c) {
        if (c instanceof OWLClass) return q((OWLClass) c);
        if (c instanceof OWLObjectSomeValuesFrom) {
            OWLObjectSomeValuesFrom s = (OWLObjectSomeValuesFrom) c;
            return prop(s.getProperty()) + " some " + ce(s.getFiller());
        }
        if (c instanceof OWLObjectAllValuesFrom) {
            OWLObjectAllValuesFrom s = (OWLObjectAllValuesFrom) c;
            return prop(s.getProperty()) + " only " + ce(s.getFiller());
        }
        if (c instanceof OWLObjectHasValue) {
            OWLObjectHasValue s = (OWLObjectHasValue) c;
            return prop(s.getProperty()) + " value " + ind(s.getValue());
        }
        if (c instanceof OWLObjectCardinalityRestriction) {
            OWLObjectCardinalityRestriction s = (OWLObjectCardinalityRestriction) c;
            String kind = c instanceof OWLObjectMinCardinality ? "min" : c instanceof OWLObjectMaxCardinality ? "max" : "exactly";
            return prop(s.getProperty()) + " " + kind + " " + s.getCardinality() + " " + ce(s.getFiller());
        }
        if (c instanceof OWLObjectIntersectionOf) return join(((OWLObjectIntersectionOf) c).getOperandsAsList(), " and ");
        if (c instanceof OWLObjectUnionOf) return join(((OWLObjectUnionOf) c).getOperandsAsList(), " or ");
        if (c instanceof OWLObjectComplementOf) return "not " + ce(((OWLObjectComplementOf) c).getOperand());
        return c.toString();
    }

    static String join(List<OWLClassExpression> ops, String sep) {
        List<String> parts = new ArrayList<>();
        for (OWLClassExpression o : ops) parts.add(ce(o));
        return "(" + String.join(sep, parts) + ")";
    }

    static String words(OWLAxiom ax) {
        if (ax instanceof OWLSubClassOfAxiom) {
            OWLSubClassOfAxiom a = (OWLSubClassOfAxiom) ax;
            String sup = a.getSuperClass() instanceof OWLClass ? "is a " + ce(a.getSuperClass()) : ce(a.getSuperClass());
            return "every " + ce(a.getSubClass()) + " " + sup;
        }
        if (ax instanceof OWLEquivalentClassesAxiom) {
            List<String> parts = new ArrayList<>();
            for (OWLClassExpression c : ((OWLEquivalentClassesAxiom) ax).getClassExpressionsAsList()) parts.add(ce(c));
            return String.join(" is exactly ", parts);
        }
        if (ax instanceof OWLDisjointClassesAxiom) {
            List<String> parts = new ArrayList<>();
            for (OWLClassExpression c : ((OWLDisjointClassesAxiom) ax).getClassExpressionsAsList()) parts.add(ce(c));
            if (parts.size() == 2) return "nothing is both " + parts.get(0) + " and " + parts.get(1);
            return "no two of " + String.join(", ", parts) + " share anything (pairwise disjoint)";
        }
        if (ax instanceof OWLClassAssertionAxiom) {
            OWLClassAssertionAxiom a = (OWLClassAssertionAxiom) ax;
            return ind(a.getIndividual()) + " is a " + ce(a.getClassExpression());
        }
        if (ax instanceof OWLObjectPropertyAssertionAxiom) {
            OWLObjectPropertyAssertionAxiom a = (OWLObjectPropertyAssertionAxiom) ax;
            return ind(a.getSubject()) + " " + prop(a.getProperty()) + " " + ind(a.getObject());
        }
        if (ax instanceof OWLObjectPropertyDomainAxiom) {
            OWLObjectPropertyDomainAxiom a = (OWLObjectPropertyDomainAxiom) ax;
            return "anything that " + prop(a.getProperty()) + " something is a " + ce(a.getDomain());
        }
        if (ax instanceof OWLObjectPropertyRangeAxiom) {
            OWLObjectPropertyRangeAxiom a = (OWLObjectPropertyRangeAxiom) ax;
            return "anything that something " + prop(a.getProperty()) + " is a " + ce(a.getRange());
        }
        if (ax instanceof OWLSubObjectPropertyOfAxiom) {
            OWLSubObjectPropertyOfAxiom a = (OWLSubObjectPropertyOfAxiom) ax;
            return prop(a.getSubProperty()) + " implies " + prop(a.getSuperProperty());
        }
        if (ax instanceof OWLInverseObjectPropertiesAxiom) {
            OWLInverseObjectPropertiesAxiom a = (OWLInverseObjectPropertiesAxiom) ax;
            return prop(a.getFirstProperty()) + " is the inverse of " + prop(a.getSecondProperty());
        }
        if (ax instanceof OWLTransitiveObjectPropertyAxiom)
            return prop(((OWLTransitiveObjectPropertyAxiom) ax).getProperty()) + " is transitive";
        if (ax instanceof OWLSymmetricObjectPropertyAxiom)
            return prop(((OWLSymmetricObjectPropertyAxiom) ax).getProperty()) + " is symmetric";
        if (ax instanceof OWLDifferentIndividualsAxiom) {
            List<String> parts = new ArrayList<>();
            for (OWLIndividual i : ((OWLDifferentIndividualsAxiom) ax).getIndividualsAsList()) parts.add(ind(i));
            return String.join(", ", parts) + " are different individuals";
        }
        if (ax instanceof OWLSameIndividualAxiom) {
            List<String> parts = new ArrayList<>();
            for (OWLIndividual i : ((OWLSameIndividualAxiom) ax).getIndividualsAsList()) parts.add(ind(i));
            return String.join(", ", parts) + " are the same individual";
        }
        return ax.toString();
    }
}
