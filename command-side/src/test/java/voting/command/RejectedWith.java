package voting.command;

import org.hamcrest.CustomTypeSafeMatcher;
import org.hamcrest.Matcher;
import voting.service.Problem;
import voting.service.Rejected;

/** Matches a rejection by its contract problem, for aggregate fixtures. */
public final class RejectedWith {

    private RejectedWith() {
    }

    public static Matcher<Throwable> problem(Problem expected) {
        return new CustomTypeSafeMatcher<>("rejection with problem " + expected.slug()) {
            @Override
            protected boolean matchesSafely(Throwable failure) {
                return failure instanceof Rejected rejected && rejected.problem() == expected;
            }
        };
    }
}
