package voting.service;

/** A request turned down with one of the contract's problems. Thrown by aggregates and handlers alike. */
public class Rejected extends RuntimeException {

    private final Problem problem;

    public Rejected(Problem problem, String detail) {
        super(detail, null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public String detail() {
        return getMessage();
    }
}
