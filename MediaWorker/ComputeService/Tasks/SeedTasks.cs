namespace MediaWorker.ComputeService.Tasks;

/// <summary>
/// The seed's task routes: the five our plugins serve, and the four that need models no
/// MediaWorker plugin runs (answered with an error naming the task, never a job that would wait forever).
/// </summary>
public static class SeedTasks
{
    public static IReadOnlyList<ISeedTaskForm> Served { get; } =
        [new ExifForm(), new HashForm(), new ImageConversionForm(), new MediaThumbnailForm(), new HlsStreamingForm()];

    public static IReadOnlyList<string> Refused { get; } = ["clip_embedding", "dino_embedding", "face_embedding", "face_detection"];

    public static ISeedTaskForm? Find(string taskType) => Served.FirstOrDefault(t => t.TaskType == taskType);
}
