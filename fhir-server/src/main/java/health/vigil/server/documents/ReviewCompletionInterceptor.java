package health.vigil.server.documents;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Task;

/**
 * Confirms the results of a read lab report when its review Task is completed: a Task marked as a
 * document review, updated to {@code completed} from another status, goes to {@link ReviewCompletion},
 * in the transaction of the update, so that the results turn final with the Task or not at all.
 */
@Interceptor(order = ReviewCompletionInterceptor.ORDER)
final class ReviewCompletionInterceptor {

    /** After validation and consent: a Task that may not be stored confirms nothing. */
    static final int ORDER = 500;

    private final ReviewCompletion completion;

    ReviewCompletionInterceptor(ReviewCompletion completion) {
        this.completion = completion;
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void beforeUpdate(IBaseResource oldResource, IBaseResource newResource, RequestDetails request) {
        if (newResource instanceof Task task
                && oldResource instanceof Task old
                && ReviewCompletion.isReview(task)
                && task.getStatus() == Task.TaskStatus.COMPLETED
                && old.getStatus() != Task.TaskStatus.COMPLETED) {
            completion.complete(task);
        }
    }
}
